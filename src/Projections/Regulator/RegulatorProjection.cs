using System.Text;
using Npgsql;
using Records.Domain;
using Records.Domain.Rules;
using Records.EventStore;
using Records.Projections.Runner;
using Records.Domain.Serialization;

namespace Records.Projections.Regulator;

/// <summary>What the regulator view is configured with: the rule book it judges by and the patients' pseudonym key.</summary>
public sealed record RegulatorOptions(RuleBook Rules, Pseudonymizer Pseudonyms)
{
    /// <summary>
    /// How many records' facts the view keeps in memory between batches (a few hundred bytes each), so
    /// that a batch reads only those it has not seen lately. Past it, the memory starts empty again. (Which
    /// records have facts at all is always kept: about 20 bytes a record.)
    /// </summary>
    public int FactsKept { get; init; } = 50_000;

    /// <summary>The domain's default rule book with <see cref="RegulatorRules"/>, and the key from configuration.</summary>
    public static RegulatorOptions WithDefaultRules(byte[] pseudonymKey) => new(RegulatorRules.DefaultBook, new Pseudonymizer(pseudonymKey));
}

/// <summary>
/// The regulator's view (schema <c>regulator</c>): the findings of REGULATION.md's indicators with their
/// evidence, deadlines still open, the practitioner qualification register and its history, and adverse
/// events with their reporting deadline. See src/Projections/README.md, section Regulator.
/// </summary>
public sealed class RegulatorProjection(RegulatorOptions options) : IProjection
{
    public const string SchemaName = "regulator";

    private readonly RegulatorMemories _memories = new(options.FactsKept);

    public string Name => SchemaName;

    public int Version => 3;

    public async Task CreateAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            create table {schema}.facts (key text primary key, state jsonb not null);
            create table {schema}.obligations (
                id text primary key, indicator int not null, code text not null, message text not null, rule_id text not null, rule_source text not null,
                institution_id text, practitioner_id text, patient_ref text, due timestamptz not null, evidence jsonb not null);
            create index on {schema}.obligations (due);
            create table {schema}.findings (
                id text primary key, indicator int not null, code text not null, message text not null, rule_id text not null, rule_source text not null,
                institution_id text, practitioner_id text, patient_ref text, at timestamptz not null, sequence bigint not null, evidence jsonb not null);
            create table {schema}.practitioners (
                id text primary key, name text not null, profession text not null, title text not null, title_grade text not null, registry_number text not null,
                practice_since date not null, registered_at timestamptz not null, suspended boolean not null, bad_practice_points int not null,
                enrolments jsonb not null);
            create table {schema}.practitioner_history (
                practitioner_id text not null, sequence bigint not null, event_id uuid not null, event_type text not null,
                at timestamptz not null, kind text not null,
                detail text not null, primary key (practitioner_id, sequence));
            create table {schema}.adverse_events (
                id text primary key, institution_id text, patient_ref text, category text not null, severity text not null,
                occurred_at timestamptz not null, recorded_at timestamptz not null, deadline timestamptz, reported_at timestamptz,
                rule_id text, rule_source text, evidence jsonb not null);
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task CreateIndexesAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            create index on {schema}.findings (institution_id, at);
            create index on {schema}.findings (practitioner_id, at);
            create index on {schema}.findings (indicator, at);
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Rebuilt() => _memories.Clear();

    /// <summary>The actor and institution of each event, not its hashes.</summary>
    public EventParts Reads => EventParts.Metadata;

    public async Task ApplyAsync(NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, NpgsqlBatch writes, CancellationToken cancellationToken)
    {
        // Findings cite sequence numbers: events not yet numbered (an append's own, inline) are not the regulator's.
        if (events.Count == 0 || events[0].Sequence is not { } first || events[^1].Sequence is not { } last) return;
        var domainEvents = events
            .Select(r => (Recorded: r, Event: TryDeserialize(r)))
            .Where(x => x.Event is not null)
            .Select(x => (x.Recorded, Event: x.Event!))
            .ToList();
        var memory = _memories.Take(schema, first - 1);
        if (domainEvents.Count > 0)
        {
            var workspace = new Workspace(connection, schema, memory, schema == Name ? Name : null);
            var detector = new Detector(workspace, options);
            await workspace.LoadAsync(domainEvents.SelectMany(x => detector.KeysFor(x.Recorded, x.Event)), cancellationToken);
            foreach (var (recorded, domainEvent) in domainEvents)
            {
                await detector.ApplyAsync(recorded, domainEvent, cancellationToken);
            }

            workspace.Save(writes);
            // What it read of the tables must be the state the batch starts from: another writer may have moved the view
            // on, and then the batch fails at its checkpoint, having applied its events to the wrong state.
            if (workspace.ReadAt is { } readAt && readAt != first - 1) return;
        }
        _memories.Keep(schema, memory, last);
    }

    // A view never throws on an event type it does not know: other systems share the log.
    private static IDomainEvent? TryDeserialize(RecordedEvent recorded) =>
        DomainEventSerializer.Default.Registry.Types.ContainsKey(recorded.EventType)
            ? DomainEventSerializer.Default.Deserialize(recorded.EventType, Encoding.UTF8.GetBytes(recorded.Data))
            : null;
}
