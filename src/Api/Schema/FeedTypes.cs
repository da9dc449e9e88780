using System.Globalization;
using System.Security.Claims;
using Records.Api.Feeds;
using Records.Api.Identity;
using Records.GraphQL;
using Records.GraphQL.Server;
using Records.GraphQL.Types;

namespace Records.Api.Schema;

/// <summary>The feeds' GraphQL types and the caller's grant, shared by the subscription and the webhook fields.</summary>
public sealed class FeedTypes
{
    public ObjectType FeedEvent { get; } = new("FeedEvent", t => t
        .Field("id", ScalarType.ID.NonNull())
        .Field("source", ScalarType.String.NonNull())
        .Field("type", ScalarType.String.NonNull())
        .Field("subject", ScalarType.String.NonNull())
        .Field("time", ScalarType.String.NonNull())
        .Field("sequence", ScalarType.String.NonNull(), description: "The global sequence number (64-bit, as text): resume after it.")
        .Field("eventHash", ScalarType.String.NonNull())
        .Field("data", ScalarType.String.NonNull(), description: "The event's data as JSON text, patients pseudonymised unless the grant allows identifiers."),
        description: "An event of the global log as a CloudEvent (id, source institution, versioned type, subject stream, time).");

    /// <summary>The signed-in caller's feed grant; a coded error for anyone not granted a feed.</summary>
    public static FeedScope GrantOf(ResolveContext ctx)
    {
        ctx.ActorOf();
        var user = (ClaimsPrincipal)ctx.Items[GraphQLRequestContext.UserItem]!;
        return IntegratorGrant.ScopeOf(user)
               ?? throw new GraphQLError("Only an integrator granted event types, or an administrator, may use the event feeds.", "feeds.forbidden");
    }

    public static long ParseSequence(string text, string argument) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw new GraphQLError($"'{argument}' must be a global sequence number (a whole number, 0 or more), not '{text}'.", "feeds.invalid_sequence");

    /// <summary>Runs a feeds operation, its <see cref="FeedException"/> as a GraphQL error with the feeds' code.</summary>
    public static T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (FeedException e)
        {
            throw ErrorOf(e);
        }
    }

    public static GraphQLError ErrorOf(FeedException e) => new(e.Message, "feeds." + e.Code);
}
