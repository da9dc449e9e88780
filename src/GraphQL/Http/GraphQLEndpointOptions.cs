using Microsoft.AspNetCore.Http;
using Records.GraphQL.Server;
using Records.GraphQL.WebSocket;

namespace Records.GraphQL.Http;

/// <summary>How a GraphQL endpoint mapped with <c>MapGraphQL</c> serves HTTP and WebSocket requests.</summary>
public sealed record GraphQLEndpointOptions
{
    /// <summary>The pipeline's limits, cache and trusted documents (used when the endpoint builds its own server).</summary>
    public GraphQLServerOptions Server { get; init; } = new();

    /// <summary>The largest request body (and WebSocket message) accepted; larger ones get 413 (or close code 1009).</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Called before each operation runs (every HTTP request, every WebSocket subscribe) so the host can put its
    /// services, items and user into the request context, or switch introspection off. By default the context has the
    /// request's services and <c>HttpContext.User</c>.
    /// </summary>
    public Func<HttpContext, GraphQLRequestContext, ValueTask>? ConfigureRequest { get; init; }

    /// <summary>The <c>graphql-transport-ws</c> settings; WebSocket requests to the endpoint need <c>app.UseWebSockets()</c>.</summary>
    public GraphQLWebSocketOptions WebSocket { get; init; } = new();

    internal async ValueTask<GraphQLRequestContext> CreateRequestContext(HttpContext http, CancellationToken cancellationToken)
    {
        var context = new GraphQLRequestContext { Services = http.RequestServices, User = http.User, CancellationToken = cancellationToken };
        if (ConfigureRequest is not null) await ConfigureRequest(http, context).ConfigureAwait(false);
        return context;
    }
}
