using System.Text;
using Npgsql;
using Records.EventStore.Hashing;

namespace Records.EventStore.Verification;

/// <summary>What a verification found wrong, and where: by stream and version, and by sequence number.</summary>
public sealed record TamperFinding(TamperKind Kind, string Message, string? StreamId, long? Version, long? Sequence, Guid? EventId);

public enum TamperKind
{
    /// <summary>A stored field of the event no longer matches the event's own hash.</summary>
    EventAltered,

    /// <summary>A version or a sequence number is missing: a row was removed.</summary>
    EventMissing,

    /// <summary>An event does not point at the hash of the event before it.</summary>
    StreamChainBroken,

    /// <summary>A link of the global chain does not match its sequence number and event.</summary>
    GlobalChainBroken,
}

/// <summary>The outcome of a verification; <see cref="First"/> is the root cause to look at first.</summary>
public sealed record VerificationReport(long EventsChecked, long SequencesChecked, IReadOnlyList<TamperFinding> Findings)
{
    public bool IsIntact => Findings.Count == 0;

    public TamperFinding? First => Findings.Count == 0 ? null : Findings[0];
}

/// <summary>
/// Recomputes the hash chains from the stored rows alone. Each event carries the hash of its
/// predecessor, so an altered row is found by its own hash, and a removed one by the break it
/// leaves in versions, sequence numbers and links.
/// </summary>
public sealed class ChainVerifier(NpgsqlDataSource dataSource)
{
    /// <summary>Verifies one stream's chain.</summary>
    public Task<VerificationReport> VerifyStreamAsync(string streamId, CancellationToken cancellationToken = default) =>
        VerifyAsync(streamId, cancellationToken);

    /// <summary>Verifies every stream's chain and the global chain. <paramref name="progress"/> receives events checked.</summary>
    public Task<VerificationReport> VerifyAllAsync(IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        VerifyAsync(null, cancellationToken, progress);

    private async Task<VerificationReport> VerifyAsync(string? streamId, CancellationToken cancellationToken, IProgress<long>? progress = null)
    {
        var findings = new List<TamperFinding>();
        long events = 0;
        await using (var command = dataSource.CreateCommand(
            $"""
            select {PostgresEventStore.EventColumns}, g.sequence
            from eventstore.events e left join eventstore.global_log g on g.event_row = e.id
            {(streamId is null ? "" : "where e.stream_id = $1")}
            order by e.stream_id, e.version
            """))
        {
            if (streamId is not null) command.Parameters.Add(new() { Value = streamId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            RecordedEvent? previous = null;
            while (await reader.ReadAsync(cancellationToken))
            {
                var current = PostgresEventStore.ReadEvent(reader);
                CheckEvent(current, previous?.StreamId == current.StreamId ? previous : null, findings);
                previous = current;
                if (++events % 10_000 == 0) progress?.Report(events);
            }
        }

        long sequences = 0;
        if (streamId is null) sequences = await VerifyGlobalChainAsync(findings, cancellationToken);
        progress?.Report(events);
        return new VerificationReport(events, sequences, findings.OrderBy(f => f.Kind).ToList());
    }

    private static void CheckEvent(RecordedEvent current, RecordedEvent? previous, List<TamperFinding> findings)
    {
        TamperFinding Finding(TamperKind kind, string message, long? version = null) =>
            new(kind, message, current.StreamId, version ?? current.Version, current.Sequence, current.EventId);

        ChainAlgorithm algorithm;
        try
        {
            algorithm = ChainAlgorithm.FromName(current.HashAlgorithm);
        }
        catch (ArgumentException)
        {
            findings.Add(Finding(TamperKind.EventAltered, $"Event {current.EventId} names the unknown hash algorithm '{current.HashAlgorithm}'."));
            return;
        }

        var recomputed = EventHash.ForEvent(algorithm, current.PreviousHash, current.EventId, current.StreamId, current.StreamType,
            current.Version, current.EventType, CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(current.Data)), current.RecordedAt, current.Metadata);
        if (!recomputed.AsSpan().SequenceEqual(current.Hash))
            findings.Add(Finding(TamperKind.EventAltered,
                $"Event {current.EventId} (stream '{current.StreamId}', version {current.Version}, sequence {Show(current.Sequence)}) no longer matches its hash: a stored field was changed."));

        var expectedVersion = (previous?.Version ?? 0) + 1;
        if (current.Version != expectedVersion)
            findings.Add(Finding(TamperKind.EventMissing,
                $"Stream '{current.StreamId}' has no version {expectedVersion}; the next stored version is {current.Version}.", expectedVersion));

        var expectedPrevious = previous?.Hash ?? ChainAlgorithm.Genesis;
        if (!expectedPrevious.AsSpan().SequenceEqual(current.PreviousHash))
            findings.Add(Finding(TamperKind.StreamChainBroken,
                $"Event {current.EventId} (stream '{current.StreamId}', version {current.Version}) does not follow the stored event before it."));
    }

    private async Task<long> VerifyGlobalChainAsync(List<TamperFinding> findings, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select g.sequence, g.hash_algorithm, g.chain_hash, e.hash, e.stream_id, e.version, e.event_id
            from eventstore.global_log g left join eventstore.events e on e.id = g.event_row
            order by g.sequence
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long checkedCount = 0, expectedSequence = 1;
        var previousChain = ChainAlgorithm.Genesis;
        while (await reader.ReadAsync(cancellationToken))
        {
            checkedCount++;
            var sequence = reader.GetInt64(0);
            var chainHash = reader.GetFieldValue<byte[]>(2);
            var streamId = reader.IsDBNull(4) ? null : reader.GetString(4);
            long? version = reader.IsDBNull(5) ? null : reader.GetInt64(5);
            Guid? eventId = reader.IsDBNull(6) ? null : reader.GetGuid(6);
            for (var missing = expectedSequence; missing < sequence; missing++)
                findings.Add(new(TamperKind.EventMissing, $"The global log has no sequence number {missing}.", null, null, missing, null));
            expectedSequence = sequence + 1;

            if (reader.IsDBNull(3))
            {
                findings.Add(new(TamperKind.EventMissing, $"Sequence number {sequence} points at an event that is no longer stored.", null, null, sequence, null));
            }
            else
            {
                var algorithm = ChainAlgorithm.FromName(reader.GetString(1));
                var recomputed = EventHash.ForSequence(algorithm, previousChain, sequence, reader.GetFieldValue<byte[]>(3));
                if (!recomputed.AsSpan().SequenceEqual(chainHash))
                    findings.Add(new(TamperKind.GlobalChainBroken,
                        $"The global chain breaks at sequence number {sequence} (stream '{streamId}', version {version}).", streamId, version, sequence, eventId));
            }
            previousChain = chainHash;
        }
        return checkedCount;
    }

    private static string Show(long? sequence) => sequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not yet assigned";
}
