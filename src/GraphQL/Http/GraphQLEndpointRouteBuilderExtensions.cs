using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Records.GraphQL.Server;
using Records.GraphQL.Types;

namespace Records.GraphQL.Http;

/// <summary>Maps a GraphQL endpoint: GraphQL over HTTP (GET, POST) and graphql-transport-ws WebSockets at one path.</summary>
public static class GraphQLEndpointRouteBuilderExtensions
{
    /// <summary>Serves <paramref name="schema"/> at <paramref name="pattern"/> with a server built from <c>options.Server</c>.</summary>
    public static IEndpointConventionBuilder MapGraphQL(this IEndpointRouteBuilder endpoints, string pattern, Schema schema, GraphQLEndpointOptions? options = null)
    {
        options ??= new GraphQLEndpointOptions();
        return endpoints.MapGraphQL(pattern, new GraphQLServer(schema, options.Server), options);
    }

    /// <summary>Serves an existing <paramref name="server"/> (e.g. one shared with other endpoints) at <paramref name="pattern"/>.</summary>
    public static IEndpointConventionBuilder MapGraphQL(this IEndpointRouteBuilder endpoints, string pattern, GraphQLServer server, GraphQLEndpointOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(server);
        var handler = new GraphQLHttpHandler(server, options ?? new GraphQLEndpointOptions());
        return endpoints.Map(pattern, (RequestDelegate)handler.HandleAsync).WithDisplayName("GraphQL " + pattern);
    }
}
