using System.Collections.Concurrent;
using System.Security.Claims;

namespace Records.GraphQL.Server;

/// <summary>
/// What the host gives one request: services, a bag of items and the user for resolvers, whether introspection is
/// allowed, and the token that aborts it. Transports create it and let the host fill it in before execution.
/// </summary>
public sealed class GraphQLRequestContext
{
    /// <summary>The <see cref="Items"/> key under which <see cref="User"/> reaches resolvers.</summary>
    public const string UserItem = "graphql.user";

    /// <summary>Services for resolvers (<c>ResolveContext.Services</c>); transports set the request's services.</summary>
    public IServiceProvider? Services { get; set; }

    /// <summary>Shared by all resolvers of the request (<c>ResolveContext.Items</c>), which may run at once: a concurrent dictionary.</summary>
    public IDictionary<string, object?> Items { get; } = new ConcurrentDictionary<string, object?>();

    /// <summary>Who sends the request; resolvers read it as <c>ctx.Items[GraphQLRequestContext.UserItem]</c>.</summary>
    public ClaimsPrincipal? User
    {
        get => Items.TryGetValue(UserItem, out var user) ? user as ClaimsPrincipal : null;
        set => Items[UserItem] = value;
    }

    /// <summary>When false, <c>__schema</c> and <c>__type</c> fail and validation messages leave out "Did you mean" hints.</summary>
    public bool AllowIntrospection { get; set; } = true;

    /// <summary>The source value of the root fields.</summary>
    public object? RootValue { get; set; }

    /// <summary>Aborts the request (e.g. the client went away).</summary>
    public CancellationToken CancellationToken { get; set; }
}
