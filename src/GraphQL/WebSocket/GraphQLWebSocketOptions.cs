using Microsoft.AspNetCore.Http;

namespace Records.GraphQL.WebSocket;

/// <summary>Settings of the <c>graphql-transport-ws</c> protocol.</summary>
public sealed record GraphQLWebSocketOptions
{
    /// <summary>Whether the endpoint accepts WebSocket connections at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long a client has to send <c>connection_init</c> before the socket closes with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Checks the <c>connection_init</c> payload (e.g. a token): false closes the socket with 4403 Forbidden. The host may
    /// set <c>HttpContext.User</c> here; it stays for the connection's operations. Null accepts every connection.
    /// </summary>
    public Func<HttpContext, IReadOnlyDictionary<string, object?>?, ValueTask<bool>>? OnConnect { get; init; }

    /// <summary>
    /// How often the server sends <c>ping</c> on an acknowledged connection (the protocol's keep-alive; clients answer
    /// <c>pong</c>), so that proxies do not close a quiet subscription and the client knows the server is there. Null or
    /// zero: never.
    /// </summary>
    public TimeSpan? KeepAliveInterval { get; init; }
}
