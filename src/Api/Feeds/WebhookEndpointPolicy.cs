using System.Net;
using System.Net.Sockets;

namespace Records.Api.Feeds;

/// <summary>
/// Where webhooks may be delivered. An integrator names the URL, and the host then sends requests to
/// it from inside the hospital's network: without limits that is a way in to the database, the cloud's
/// metadata service or an internal admin page (server-side request forgery). By default only public
/// addresses are reached; <see cref="AllowedHosts"/> narrows that to named hosts.
/// </summary>
/// <param name="AllowPrivateNetworks">Also loopback, private, link-local and unique-local addresses (a test rig, an on-premises integrator).</param>
/// <param name="AllowedHosts">If not empty, the only hosts: exact names, or <c>*.example.com</c> for its subdomains.</param>
public sealed record WebhookEndpointPolicy(bool AllowPrivateNetworks, IReadOnlyList<string> AllowedHosts)
{
    public static WebhookEndpointPolicy PublicOnly { get; } = new(false, []);

    /// <summary>Refuses, at registration, an endpoint whose host is not allowed or is a non-public address or name.</summary>
    /// <exception cref="FeedException">endpoint_not_allowed</exception>
    public void Check(Uri endpoint)
    {
        var host = endpoint.IdnHost;
        if (AllowedHosts.Count > 0 && !AllowedHosts.Any(allowed => Matches(allowed, host)))
            throw new FeedException("endpoint_not_allowed", $"Webhooks may be delivered only to {string.Join(", ", AllowedHosts)}; '{host}' is not one of them.");
        var literal = IPAddress.TryParse(host, out var address);
        if (!AllowPrivateNetworks && (literal ? !IsPublic(address!) : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
            throw new FeedException("endpoint_not_allowed", $"Webhooks are delivered to public addresses only; '{host}' is not one.");
    }

    /// <summary>Whether a delivery may connect to <paramref name="address"/> (checked at each connection: a name may point elsewhere later).</summary>
    public bool Allows(IPAddress address) => AllowPrivateNetworks || IsPublic(address);

    /// <summary>
    /// An HTTP handler that connects only to addresses this policy allows, whatever a name resolves to. It goes
    /// straight to the endpoint (a proxy would make the connection on our behalf, past the check) and does not
    /// follow redirects (an answer 3xx is a failed delivery, retried like any other).
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(Allows).ToArray();
            if (allowed.Length == 0)
                throw new HttpRequestException($"The endpoint's address ({string.Join(", ", addresses.Select(a => a.ToString()))}) is not a public one; webhooks are not delivered there.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static bool Matches(string allowed, string host) =>
        allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
            : host.Equals(allowed, StringComparison.OrdinalIgnoreCase);

    /// <summary>Not loopback, unspecified, private (RFC 1918), shared (RFC 6598), link-local, unique-local or multicast.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] is >= 64 and <= 127)
            || (b[0] == 169 && b[1] == 254)
            || b[0] >= 224);
    }
}
