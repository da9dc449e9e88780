using Records.Domain.Serialization;
using Records.EventStore;
using Records.Projections.Streams;

namespace Records.Testing.Histories;

/// <summary>Appends generated histories to the event store, as the host would append decisions.</summary>
public static class HistoryWriter
{
    /// <summary>
    /// Appends <paramref name="steps"/>: the set-up (lane 0) in order first, then the patients' lanes,
    /// each lane in order, <paramref name="writers"/> lanes at a time. One writer keeps the
    /// generated interleaving exactly. Returns the number of events appended.
    /// </summary>
    public static async Task<long> AppendAsync(PostgresEventStore store, IEnumerable<HistoryStep> steps, int writers = 1, CancellationToken cancellationToken = default)
    {
        long appended = 0;
        if (writers <= 1)
        {
            foreach (var step in steps) appended += await AppendStepAsync(store, step, cancellationToken);
            return appended;
        }

        var lanes = new List<HistoryStep>[writers];
        for (var i = 0; i < writers; i++) lanes[i] = [];
        foreach (var step in steps)
        {
            if (step.Lane == 0) appended += await AppendStepAsync(store, step, cancellationToken);
            else lanes[step.Lane % writers].Add(step);
        }
        var counts = await Task.WhenAll(lanes.Select(lane => Task.Run(async () =>
        {
            long count = 0;
            foreach (var step in lane) count += await AppendStepAsync(store, step, cancellationToken);
            return count;
        }, cancellationToken)));
        return appended + counts.Sum();
    }

    public static async Task<int> AppendStepAsync(PostgresEventStore store, HistoryStep step, CancellationToken cancellationToken = default)
    {
        var data = step.Events.Select(e =>
        {
            var serialized = DomainEventSerializer.Default.Serialize(e);
            return new EventData(serialized.TypeName, serialized.Data);
        }).ToList();
        var metadata = new EventMetadata
        {
            Actor = new Actor(step.Actor.Id, DomainStore.RoleName(step.Actor.Role), step.Actor.RealNameVerified),
            InstitutionId = step.InstitutionId,
            PurposeOfUse = step.PurposeOfUse,
        };
        await store.AppendAsync(step.StreamId, step.StreamType, ExpectedVersion.Any, data, metadata, cancellationToken);
        return data.Count;
    }
}
