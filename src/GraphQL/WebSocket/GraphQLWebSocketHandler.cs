using Microsoft.AspNetCore.Http;
using Records.GraphQL.Http;
using Records.GraphQL.Server;

namespace Records.GraphQL.WebSocket;

/// <summary>Accepts WebSocket requests to a GraphQL endpoint and runs the graphql-transport-ws protocol on each.</summary>
public sealed class GraphQLWebSocketHandler(GraphQLServer server, GraphQLEndpointOptions options)
{
    /// <summary>The only subprotocol served.</summary>
    public const string SubProtocol = "graphql-transport-ws";

    public async Task HandleAsync(HttpContext http)
    {
        var requested = http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(requested ? SubProtocol : null).ConfigureAwait(false);
        var connection = new GraphQLWebSocketConnection(socket, http, server, options);
        if (!requested)
        {
            await connection.CloseAsync(CloseCodes.SubprotocolNotAcceptable, "Subprotocol not acceptable").ConfigureAwait(false);
            return;
        }
        await connection.RunAsync().ConfigureAwait(false);
    }
}
