using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Identity;
using Records.Domain;

namespace Records.Api.Tests.Hosting;

/// <summary>The host with small limits, so each can be reached in a test.</summary>
public sealed class LimitedHostFixture : RecordsHostFixture
{
    protected override IEnumerable<string> MoreSettings =>
    [
        "--Records:Limits:MaxRequestBodyBytes=2000",
        "--Records:Limits:MaxDepth=2",
        "--Records:Limits:MaxCost=40",
        "--Records:Limits:Burst=3",
        "--Records:Limits:RequestsPerSecond=1",
        "--Records:Limits:AnonymousBurst=2",
        "--Records:Limits:AnonymousRequestsPerSecond=1",
    ];
}

public sealed class HostLimitsTests(LimitedHostFixture host) : IClassFixture<LimitedHostFixture>
{
    private sealed record Throttled(string Code, string Message);

    /// <summary>Each test signs in as its own person, so each has a bucket of its own.</summary>
    private string TokenFor(string subject) =>
        host.Host.App.Services.GetRequiredService<TokenIssuer>().Issue(subject, Role.Physician, realNameVerified: true);

    private async Task<HttpResponseMessage> PostAsync(string? token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await host.Http.SendAsync(request);
    }

    private static string Query(string query) => JsonSerializer.Serialize(new { query });

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413()
    {
        var response = await PostAsync(TokenFor("limits-body"), Query("{ me { id } }" + new string(' ', 3000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("{ me { id } }", null)]
    [InlineData("{ patientRecord(patientId: \"p\") { consultations { kind } } }", "MAX_DEPTH_EXCEEDED")]
    [InlineData("{ a1: me { id } a2: me { id } a3: me { id } a4: me { id } a5: me { id } a6: me { id } a7: me { id } a8: me { id } a9: me { id } a10: me { id } " +
        "a11: me { id } a12: me { id } a13: me { id } a14: me { id } a15: me { id } a16: me { id } a17: me { id } a18: me { id } a19: me { id } a20: me { id } a21: me { id } }",
        "MAX_COST_EXCEEDED")]
    public async Task GraphQL_depth_and_cost_limits_come_from_configuration(string query, string? code)
    {
        var response = await PostAsync(TokenFor("limits-graphql-" + code), Query(query));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        var codes = body.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().Select(e => e.GetProperty("extensions").GetProperty("code").GetString()).ToList() : [];
        if (code is null) Assert.Empty(codes);
        else Assert.Contains(code, codes);
    }

    /// <summary>
    /// Sends until the first 429 (at most 30 requests). The bucket refills one token a second, so on a slow machine a
    /// request or two beyond the burst may pass before one is refused; the burst itself always passes.
    /// </summary>
    private async Task<(List<HttpStatusCode> Statuses, HttpResponseMessage Last)> UntilThrottledAsync(string? token)
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        while (statuses.Count < 30 && (statuses.Count == 0 || statuses[^1] != (HttpStatusCode)429))
        {
            last = await PostAsync(token, Query("{ me { id } }"));
            statuses.Add(last.StatusCode);
        }
        return (statuses, last);
    }

    [Fact]
    public async Task An_identity_past_its_burst_gets_429_with_retry_after_and_a_code()
    {
        var (statuses, last) = await UntilThrottledAsync(TokenFor("limits-burst"));
        var someoneElse = await PostAsync(TokenFor("limits-burst-other"), Query("{ me { id } }"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses.Take(3));
        Assert.Equal((HttpStatusCode)429, statuses[^1]);
        Assert.True(int.Parse(last.Headers.GetValues("Retry-After").Single()) >= 1);
        var throttled = await last.Content.ReadFromJsonAsync<Throttled>();
        Assert.Equal("request.rate_limited", throttled!.Code);
        Assert.Contains("try again", throttled.Message);
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
    }

    [Fact]
    public async Task Anonymous_callers_share_a_bucket_per_address_and_health_probes_are_never_throttled()
    {
        var (statuses, _) = await UntilThrottledAsync(null);
        var probes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) probes.Add((await host.Http.GetAsync("/health/live")).StatusCode);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(2));
        Assert.Equal((HttpStatusCode)429, statuses[^1]);
        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.All(probes, s => Assert.Equal(HttpStatusCode.OK, s));
    }
}
