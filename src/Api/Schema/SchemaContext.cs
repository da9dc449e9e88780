using System.Security.Claims;
using Records.Api.Commands;
using Records.Api.Identity;
using Records.Domain;
using Records.GraphQL;
using Records.GraphQL.Server;
using Records.GraphQL.Types;

namespace Records.Api.Schema;

/// <summary>What every resolver of the records schema needs from its request: who asks, the host's services, typed errors.</summary>
public static class SchemaContext
{
    /// <summary>The signed-in actor; a coded error when the request carries no usable token.</summary>
    public static Actor ActorOf(this ResolveContext ctx) =>
        ctx.Items.TryGetValue(GraphQLRequestContext.UserItem, out var item) && item is ClaimsPrincipal user && RecordsClaims.ToActor(user) is { } actor
            ? actor
            : throw new GraphQLError("Sign in: send a bearer token in the Authorization header.", "auth.missing_token");

    public static IServiceProvider ServicesOf(this ResolveContext ctx) =>
        ctx.Services ?? throw new InvalidOperationException("The records schema runs with the host's services (MapGraphQL passes the request's).");

    public static T Service<T>(this ResolveContext ctx) where T : notnull => ctx.ServicesOf().GetRequiredService<T>();

    /// <summary>A domain rejection as a GraphQL error: its code, its sentence, and the rule with its source.</summary>
    public static GraphQLError ErrorOf(Rejection rejection) => new(rejection.Message, rejection.Code,
        extensions: rejection.Rule is { } r ? new Dictionary<string, object?> { ["rule"] = new { id = r.Id, source = r.Source } } : null);

    /// <summary>A Relay clientMutationId is the command's id, so a retry is answered from the first result.</summary>
    public static CommandMeta CommandMetaOf(this ResolveContext ctx, string clientMutationId) =>
        Guid.TryParse(clientMutationId, out var commandId)
            ? new CommandMeta(ctx.ActorOf(), ctx.Service<NodaTime.IClock>().GetCurrentInstant(), commandId)
            : throw new GraphQLError("The clientMutationId must be a UUID: it is the command's id, so a retry is answered from the first result.",
                "request.invalid_client_mutation_id");
}
