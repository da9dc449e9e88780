using Npgsql;
using Records.EventStore;
using Records.Projections.Runner;

namespace Records.Projections.Tests.Runner;

/// <summary>A small view for the runner's tests: per stream, how many events and the last type.</summary>
internal sealed class StreamCounter(string name, int version = 1) : IProjection
{
    public string Name { get; } = name;

    public int Version { get; } = version;

    /// <summary>An event of this type makes the view fail (a poisoned event).</summary>
    public string? PoisonType { get; set; }

    /// <summary>A pause in every apply, so that a test can stop the runner in the middle of a batch.</summary>
    public TimeSpan PausePerEvent { get; set; }

    public async Task CreateAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"create table {schema}.streams (stream_id text primary key, events int not null, last_type text not null, last_sequence bigint)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The parts of events it asks the runner for.</summary>
    public EventParts Reads { get; init; } = EventParts.All;

    /// <summary>Whether it has an index for readers (by last type), built by <see cref="CreateIndexesAsync"/>.</summary>
    public bool IndexedByType { get; init; }

    /// <summary>Rows in its table when its index was created, for each time it was.</summary>
    public List<long> RowsWhenIndexed { get; } = [];

    /// <summary>How many times a rebuild's tables took the live ones' place.</summary>
    public int Rebuilds { get; private set; }

    public void Rebuilt() => Rebuilds++;

    /// <summary>Every event it was given, as given.</summary>
    public List<RecordedEvent> Seen { get; } = [];

    public async Task CreateIndexesAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        if (!IndexedByType) return;
        await using var count = new NpgsqlCommand($"select count(*) from {schema}.streams", connection);
        var rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        lock (RowsWhenIndexed) RowsWhenIndexed.Add(rows);
        await using var command = new NpgsqlCommand($"create index streams_by_type on {schema}.streams (last_type)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Writes each event on its own, on the connection (in the runner's transaction), rather than giving its writes to the runner.</summary>
    public async Task ApplyAsync(NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, NpgsqlBatch writes, CancellationToken cancellationToken)
    {
        lock (Seen) Seen.AddRange(events);
        foreach (var recorded in events)
        {
            if (recorded.EventType == PoisonType) throw new InvalidOperationException($"cannot apply {recorded.EventType}");
            await using var command = new NpgsqlCommand(
                $"""
                insert into {schema}.streams as s values ($1, 1, $2, $3)
                on conflict (stream_id) do update set events = s.events + 1, last_type = excluded.last_type, last_sequence = excluded.last_sequence
                """, connection);
            command.Parameters.Add(new() { Value = recorded.StreamId });
            command.Parameters.Add(new() { Value = recorded.EventType });
            command.Parameters.Add(new() { Value = (object?)recorded.Sequence ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (PausePerEvent > TimeSpan.Zero) await Task.Delay(PausePerEvent, cancellationToken);
        }
    }
}
