using System.Net;
using Records.Api.Feeds;

namespace Records.Api.Tests.Feeds;

/// <summary>Where webhooks may go: public addresses by default, never the host's own network unless allowed.</summary>
public class WebhookEndpointPolicyTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.5/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://[::10.0.0.1]/hook")]                // IPv4-compatible
    [InlineData("http://[64:ff9b::a9fe:a9fe]/hook")]        // NAT64 of 169.254.169.254
    [InlineData("http://[64:ff9b:1::808:808]/hook")]        // NAT64 local-use prefix
    [InlineData("http://[2002:c0a8:0101::1]/hook")]         // 6to4 of 192.168.1.1
    [InlineData("http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/hook")] // Teredo, client 10.0.0.1
    [InlineData("http://localhost:5000/hook")]
    [InlineData("http://admin.localhost/hook")]
    public void By_default_the_hosts_own_networks_are_refused(string endpoint)
    {
        var error = Assert.Throws<FeedException>(() => WebhookEndpointPolicy.PublicOnly.Check(new Uri(endpoint)));
        Assert.Equal("endpoint_not_allowed", error.Code);
        Assert.Contains("public addresses only", error.Message);
        new WebhookEndpointPolicy(AllowPrivateNetworks: true, AllowedHosts: []).Check(new Uri(endpoint)); // unless allowed
    }

    [Theory]
    [InlineData("https://pharmacy.example.com/hook")]
    [InlineData("http://8.8.8.8/hook")]
    [InlineData("https://[2001:4860:4860::8888]/hook")]
    [InlineData("http://[64:ff9b::808:808]/hook")]          // NAT64 of 8.8.8.8
    [InlineData("http://[2002:0808:0808::1]/hook")]         // 6to4 of 8.8.8.8
    public void Public_addresses_and_names_are_allowed(string endpoint) => WebhookEndpointPolicy.PublicOnly.Check(new Uri(endpoint));

    [Fact]
    public void Allowed_hosts_narrow_it_to_names_and_their_subdomains()
    {
        var policy = new WebhookEndpointPolicy(false, ["*.pharmacy.example", "his.hospital.cn"]);
        policy.Check(new Uri("https://east.pharmacy.example/hook"));
        policy.Check(new Uri("https://HIS.hospital.cn/hook"));
        foreach (var refused in new[] { "https://pharmacy.example/hook", "https://evilpharmacy.example/hook", "https://his.hospital.cn.evil.com/hook", "http://8.8.8.8/" })
        {
            var error = Assert.Throws<FeedException>(() => policy.Check(new Uri(refused)));
            Assert.Equal("endpoint_not_allowed", error.Code);
            Assert.Contains("*.pharmacy.example, his.hospital.cn", error.Message);
        }
    }

    [Fact]
    public void Deliveries_connect_only_to_allowed_addresses()
    {
        Assert.False(WebhookEndpointPolicy.PublicOnly.Allows(IPAddress.Loopback));
        Assert.False(WebhookEndpointPolicy.PublicOnly.Allows(IPAddress.Parse("10.0.0.7")));
        Assert.True(WebhookEndpointPolicy.PublicOnly.Allows(IPAddress.Parse("203.0.113.9")));
        Assert.True(new WebhookEndpointPolicy(true, []).Allows(IPAddress.Loopback));
    }

    [Fact]
    public async Task A_host_dropped_from_the_allowed_hosts_after_registration_is_not_connected_to()
    {
        using var narrowed = new HttpClient(new WebhookEndpointPolicy(true, ["his.hospital.cn"]).CreateHandler());
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => narrowed.PostAsync("http://127.0.0.1:9/hook", new StringContent("{}")));
        Assert.Contains("no longer among the allowed hosts", error.Message);
    }
}
