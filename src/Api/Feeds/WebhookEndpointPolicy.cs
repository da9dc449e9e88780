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
        if (!AllowsHost(host))
            throw new FeedException("endpoint_not_allowed", $"Webhooks may be delivered only to {string.Join(", ", AllowedHosts)}; '{host}' is not one of them.");
        var literal = IPAddress.TryParse(host, out var address);
        if (!AllowPrivateNetworks && (literal ? !IsPublic(address!) : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
            throw new FeedException("endpoint_not_allowed", $"Webhooks are delivered to public addresses only; '{host}' is not one.");
    }

    /// <summary>Whether a delivery may connect to <paramref name="address"/> (checked at each connection: a name may point elsewhere later).</summary>
    public bool Allows(IPAddress address) => AllowPrivateNetworks || IsPublic(address);

    /// <summary>Whether <paramref name="host"/> is among <see cref="AllowedHosts"/> (checked at each connection too: the list may have narrowed since registration).</summary>
    public bool AllowsHost(string host) => AllowedHosts.Count == 0 || AllowedHosts.Any(allowed => Matches(allowed, host));

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
            if (!AllowsHost(context.DnsEndPoint.Host))
                throw new HttpRequestException($"The endpoint's host '{context.DnsEndPoint.Host}' is no longer among the allowed hosts ({string.Join(", ", AllowedHosts)}); webhooks are not delivered there.");
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

    /// <summary>
    /// Not loopback, unspecified, private (RFC 1918), shared (RFC 6598), link-local, unique-local or multicast; an IPv6
    /// address that carries an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is judged by the IPv4 address it reaches.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (EmbeddedIPv4(address) is { } inner) address = inner;
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = address.GetAddressBytes();
            var nat64LocalUse = v6[0] == 0 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6[4] == 0 && v6[5] == 1; // 64:ff9b:1::/48 (RFC 8215)
            return !(nat64LocalUse || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] is >= 64 and <= 127)
            || (b[0] == 169 && b[1] == 254)
            || b[0] >= 224);
    }

    /// <summary>The IPv4 address an IPv6 one leads to, where it embeds one: IPv4-mapped (::ffff:0:0/96), IPv4-compatible
    /// (::/96), the NAT64 well-known prefix (64:ff9b::/96, RFC 6052), 6to4 (2002::/16, RFC 3056) or Teredo (2001::/32,
    /// RFC 4380: the client's address, inverted).</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return null;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        var b = address.GetAddressBytes();
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1)) // not :: or ::1
            return new IPAddress(b.AsSpan(12, 4));
        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return new IPAddress(b.AsSpan(12, 4));
        if (b[0] == 0x20 && b[1] == 0x02) return new IPAddress(b.AsSpan(2, 4));
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
            return new IPAddress([(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]]);
        return null;
    }
}
