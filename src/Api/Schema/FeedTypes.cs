using System.Globalization;
using System.Security.Claims;
using Records.Api.Commands;
using Records.Api.Feeds;
using Records.Api.Identity;
using Records.Domain;
using Records.Domain.Rules;
using Records.GraphQL;
using Records.GraphQL.Server;
using Records.GraphQL.Types;
using Records.Projections.Streams;

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

    /// <summary>A request to a feed field, for the refusal log: who asked for which field.</summary>
    private sealed record FeedRequest(CommandMeta Meta, string Field) : ICommand;

    /// <summary>The signed-in caller and its feed grant; a recorded, coded refusal for anyone not granted a feed.</summary>
    public static async Task<(Actor Actor, FeedScope Grant)> CallerAsync(ResolveContext ctx)
    {
        var actor = ctx.ActorOf();
        var user = (ClaimsPrincipal)ctx.Items[GraphQLRequestContext.UserItem]!;
        return IntegratorGrant.ScopeOf(user) is { } grant
            ? (actor, grant)
            : throw await RefuseAsync(ctx, actor, "feeds.forbidden", "Only an integrator granted event types, or an administrator, may use the event feeds.");
    }

    /// <summary>The grant narrowed to a filter; a recorded refusal when the filter reaches outside it.</summary>
    public static async Task<FeedScope> NarrowAsync(ResolveContext ctx, Actor actor, FeedScope grant, IReadOnlyList<string>? eventTypes, IReadOnlyList<string>? institutions)
    {
        try
        {
            return grant.Narrow(eventTypes, institutions);
        }
        catch (FeedException e)
        {
            throw await RefuseAsync(ctx, actor, "feeds." + e.Code, e.Message);
        }
    }

    /// <summary>
    /// Records a refused feed request in the refusal log (<see cref="RejectionLog"/>, as refused commands are, so the
    /// audit trail shows who tried what) and returns the error to throw.
    /// </summary>
    public static async Task<GraphQLError> RefuseAsync(ResolveContext ctx, Actor actor, string code, string message)
    {
        var request = new FeedRequest(new CommandMeta(actor, ctx.Service<NodaTime.IClock>().GetCurrentInstant(), Guid.NewGuid()), ctx.FieldDefinition.Name);
        await ctx.Service<RejectionLog>().RecordAsync(new StreamRef("feed", actor.Id), request, new Rejection(code, message),
            new CommandCircumstances { InstitutionId = ctx.Service<Regulation>().Place.InstitutionId }, ctx.CancellationToken);
        return new GraphQLError(message, code);
    }

    public static long ParseSequence(string text, string argument) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw new GraphQLError($"'{argument}' must be a global sequence number (a whole number, 0 or more), not '{text}'.", "feeds.invalid_sequence");

    public static GraphQLError ErrorOf(FeedException e) => new(e.Message, "feeds." + e.Code);
}
