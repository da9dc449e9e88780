using Records.EventStore;

namespace Records.Api.Commands;

/// <summary>
/// Reads the events an append wrote with their global sequence numbers, waiting up to
/// <paramref name="wait"/> for the sequencer to number them (it numbers a transaction's events
/// in its first batch after their commit). Woken by the host's <see cref="LogTail"/>,
/// never by polling.
/// </summary>
public sealed class SequenceWaiter(PostgresEventStore store, LogTail log, TimeSpan wait)
{
    /// <summary>Events <paramref name="firstVersion"/>..<paramref name="lastVersion"/> of the stream; an unnumbered one has a null sequence after the wait.</summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadNumberedAsync(string streamId, long firstVersion, long lastVersion, CancellationToken cancellationToken)
    {
        // Anything not numbered by the time we look at the stream gets a number above this head.
        var head = await store.ReadHeadAsync(cancellationToken);
        var events = new List<RecordedEvent>();
        await foreach (var e in store.ReadStreamAsync(streamId, fromVersion: firstVersion, maxCount: (int)(lastVersion - firstVersion + 1), cancellationToken: cancellationToken))
            events.Add(e);
        var missing = events.Where(e => e.Sequence is null).Select(e => e.EventId).ToHashSet();
        if (missing.Count == 0 || wait <= TimeSpan.Zero) return events;

        var numbered = new Dictionary<Guid, long>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await foreach (var batch in log.SubscribeBatchesAsync(head, cancellationToken: timeout.Token))
            {
                foreach (var e in batch.Where(e => missing.Contains(e.EventId))) numbered[e.EventId] = e.Sequence!.Value;
                if (numbered.Count == missing.Count) break;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Waited long enough: the caller gets the events, some without their number yet.
        }
        return events.Select(e => numbered.TryGetValue(e.EventId, out var sequence) ? e with { Sequence = sequence } : e).ToList();
    }
}
