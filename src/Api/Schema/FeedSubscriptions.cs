using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Records.Api.Feeds;
using Records.EventStore;
using Records.GraphQL.Types;
using Records.Projections;

namespace Records.Api.Schema;

/// <summary>
/// <c>subscription { eventAppended(filter, after) }</c>: the global log as CloudEvents, over graphql-transport-ws,
/// catching up from <c>after</c> (a global sequence number; default: the head, so only events to come) and then
/// following, scoped by the caller's grant (<see cref="Identity.IntegratorGrant"/>) exactly as the pull, SSE and webhook feeds.
/// A client that lost its socket subscribes again with the last <c>sequence</c> it received.
/// </summary>
public static class FeedSubscriptions
{
    /// <summary>Narrows the caller's grant: event types (or <c>prefix.*</c> patterns) and institutions within it.</summary>
    public sealed record EventFilterInput(IReadOnlyList<string>? EventTypes, IReadOnlyList<string>? Institutions);

    /// <summary>One event as the feeds deliver it: the CloudEvent attributes, and its data (pseudonymised per the grant) as JSON text.</summary>
    public sealed record FeedEvent(string Id, string Source, string Type, string Subject, string Time, string Sequence, string EventHash, string Data)
    {
        public static FeedEvent From(RecordedEvent recorded, FeedScope scope, Pseudonymizer pseudonymizer)
        {
            using var json = JsonDocument.Parse(CloudEvent.ToJson(recorded, scope, pseudonymizer));
            var e = json.RootElement;
            string Text(string name) => e.GetProperty(name).GetString()!;
            return new FeedEvent(Text("id"), Text("source"), Text("type"), Text("subject"), Text("time"),
                recorded.Sequence!.Value.ToString(CultureInfo.InvariantCulture), Text("eventhash"), e.GetProperty("data").GetRawText());
        }
    }

    public static void AddTo(FieldsBuilder subscription, FeedTypes feeds)
    {
        var filter = new InputObjectType("EventFilter", f => f
            .Field("eventTypes", ScalarType.String.NonNull().List())
            .Field("institutions", ScalarType.String.NonNull().List()), description: "Narrows a feed within the caller's grant; a field left out means as granted.");
        subscription.Field(new FieldDefinition("eventAppended", feeds.FeedEvent.NonNull(),
            [new("filter", filter), new("after", ScalarType.String) { Description = "The global sequence number to follow from (exclusive); default: the head." }])
        {
            Description = "Every event granted to the caller after `after`, in global order, once each; then each new one as it is sequenced.",
            Subscribe = SubscribeAsync,
            Resolve = ctx => ValueTask.FromResult(ctx.Source),
        });
    }

    private static async ValueTask<IAsyncEnumerable<object?>> SubscribeAsync(ResolveContext ctx)
    {
        var requested = ctx.Argument<EventFilterInput>("filter");
        var (actor, grant) = await FeedTypes.CallerAsync(ctx);
        var scope = await FeedTypes.NarrowAsync(ctx, actor, grant, requested?.EventTypes, requested?.Institutions);
        var store = ctx.Service<PostgresEventStore>();
        var after = ctx.Argument<string>("after") is { } text
            ? FeedTypes.ParseSequence(text, "after")
            : await store.ReadHeadAsync(ctx.CancellationToken);
        return Follow(ctx.Service<LogTail>(), scope, ctx.Service<Pseudonymizer>(), after, ctx.CancellationToken);
    }

    private static async IAsyncEnumerable<object?> Follow(
        LogTail log, FeedScope scope, Pseudonymizer pseudonymizer, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in log.SubscribeBatchesAsync(after, 500, cancellationToken))
        {
            foreach (var recorded in batch)
                if (scope.Allows(recorded)) yield return FeedEvent.From(recorded, scope, pseudonymizer);
        }
    }
}
