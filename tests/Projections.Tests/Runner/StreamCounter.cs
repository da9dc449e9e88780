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

    public async Task ApplyAsync(NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
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
