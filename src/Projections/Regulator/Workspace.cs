using System.Text.Json;
using NodaTime;
using Npgsql;
using Records.Domain.Serialization;
using Records.Projections.Views;

namespace Records.Projections.Regulator;

/// <summary>
/// One batch's working set: the facts it reads and changes (loaded once, written back once), the open
/// obligations it may meet or see expire, and the findings and register rows it produces. Facts, open
/// obligations and which keys the facts table holds are kept in <paramref name="memory"/>, which the next batch goes on with.
/// <paramref name="checkpoint"/> names the view whose checkpoint tells which state the live schema's
/// tables are in (null for a rebuild's tables, which have one writer).
/// </summary>
internal sealed class Workspace(NpgsqlConnection connection, string schema, RegulatorMemory memory, string? checkpoint)
{
    private const string ClockKey = "clock:log";

    private static readonly Dictionary<string, Type> KindTypes = new()
    {
        ["clock"] = typeof(LogClock),
        ["institution"] = typeof(InstitutionFacts),
        ["patient"] = typeof(PatientFacts),
        ["consent"] = typeof(ConsentFacts),
        ["practitioner"] = typeof(PractitionerFacts),
        ["consultation"] = typeof(ConsultationFacts),
        ["prescription"] = typeof(PrescriptionFacts),
        ["signature"] = typeof(SignatureFacts),
        ["document"] = typeof(DocumentFacts),
        ["access"] = typeof(AccessFacts),
        ["adverse_event"] = typeof(AdverseEventFacts),
        ["reading_day"] = typeof(ReadingDayFacts),
        ["platform"] = typeof(PlatformFacts),
    };

    private readonly Dictionary<string, Facts?> _facts = memory.Facts;
    private readonly HashSet<string> _changed = [];
    private readonly Dictionary<string, Obligation> _open = memory.Open;
    private readonly SortedSet<(Instant Due, string Id)> _byDue = memory.ByDue;
    private readonly List<Obligation> _opened = [];
    private readonly List<string> _closed = [];
    private readonly HashSet<string> _findingIds = [];

    public List<Finding> Findings { get; } = [];

    public List<(string PractitionerId, EvidenceLink Event, Instant At, string Kind, string Detail)> History { get; } = [];

    /// <summary>The log's own time: the latest time any event applied so far says it happened.</summary>
    public Instant Clock { get; private set; }

    /// <summary>
    /// Where the view's checkpoint stood when the batch read its tables (the runner reads a batch in one
    /// snapshot): another writer may have moved the view on since the batch's start. Null if it read none.
    /// </summary>
    public long? ReadAt { get; private set; }

    /// <summary>
    /// Loads the facts of <paramref name="keys"/> and of the records they reference (two levels: a
    /// document's visit and that visit's doctor) that the memory lacks: one round trip per level, none
    /// when the memory holds them all or knows the table holds none of them (new records). The open
    /// obligations and the facts' keys are all in memory, read once.
    /// </summary>
    public async Task LoadAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        if (!memory.Loaded)
        {
            await ReadTablesAsync(ct,
                (new NpgsqlBatchCommand($"select {ObligationColumns} from {schema}.obligations"), ReadObligationsAsync),
                (new NpgsqlBatchCommand($"select key from {schema}.facts"), ReadStoredKeysAsync));
            memory.Loaded = true;
        }
        var level = keys.Append(ClockKey).ToHashSet();
        for (var depth = 0; depth < 3 && level.Count > 0; depth++)
        {
            await LoadFactsAsync(level, ct);
            level = level.Select(k => _facts[k]).OfType<Facts>().SelectMany(f => f.References()).Where(k => !_facts.ContainsKey(k)).ToHashSet();
        }
        Clock = ((LogClock?)_facts[ClockKey])?.At ?? Instant.MinValue;
    }

    public async Task<T?> GetAsync<T>(string kind, string id, CancellationToken ct)
        where T : Facts
    {
        var key = Key(kind, id);
        if (!_facts.ContainsKey(key)) await LoadFactsAsync([key], ct);
        return (T?)_facts[key];
    }

    public T Put<T>(string kind, string id, T facts)
        where T : Facts
    {
        var key = Key(kind, id);
        _facts[key] = facts;
        _changed.Add(key);
        return facts;
    }

    /// <summary>Marks loaded facts as changed, to be written back.</summary>
    public void Changed(string kind, string id) => _changed.Add(Key(kind, id));

    public void AdvanceClock(Instant at)
    {
        if (at <= Clock) return;
        Clock = at;
        _facts[ClockKey] = new LogClock { At = at };
        _changed.Add(ClockKey);
    }

    /// <summary>Records a finding once: the first event to show a breach is its evidence, in a rebuild as live.</summary>
    public void Add(Finding finding)
    {
        if (_findingIds.Add(finding.Id)) Findings.Add(finding);
    }

    /// <summary>Opens an obligation; one already open is an error (a record created twice): opened again, its first deadline would be left behind.</summary>
    public void Open(Obligation obligation)
    {
        if (_open.TryGetValue(obligation.Id, out var open))
            throw new InvalidOperationException($"The obligation {obligation.Id} is already open (due {open.Due}): an event opened it a second time.");
        _open[obligation.Id] = obligation;
        _byDue.Add((obligation.Due, obligation.Id));
        _opened.Add(obligation);
    }

    /// <summary>Closes the obligation if it is still open, and returns it; null when there was none or it was already breached.</summary>
    public Obligation? Close(string id)
    {
        if (!_open.Remove(id, out var obligation)) return null;
        _byDue.Remove((obligation.Due, obligation.Id));
        _closed.Add(id);
        return obligation;
    }

    /// <summary>The open obligations whose deadline is before the log's time, closed, in deadline order.</summary>
    public IReadOnlyList<Obligation> Expire()
    {
        var expired = new List<Obligation>();
        while (_byDue.Count > 0 && _byDue.Min.Due < Clock)
        {
            expired.Add(Close(_byDue.Min.Id)!);
        }

        return expired;
    }

    public IEnumerable<T> ChangedFacts<T>()
        where T : Facts =>
        _changed.Select(k => _facts[k]).OfType<T>();

    /// <summary>Adds the batch's facts, obligations, findings and register rows to <paramref name="writes"/>: one statement per table.</summary>
    public void Save(NpgsqlBatch writes)
    {
        var keys = _changed.Order(StringComparer.Ordinal).ToArray();
        foreach (var key in keys) memory.Stored(key);
        var opened = _opened.Where(o => _open.ContainsKey(o.Id)).ToArray();
        var practitioners = ChangedFacts<PractitionerFacts>().ToArray();
        var adverse = ChangedFacts<AdverseEventFacts>().ToArray();
        Sql.Add(writes,
        [
            (keys.Length > 0, () => Sql.Command(
                $"insert into {schema}.facts (key, state) select k, s::jsonb from unnest($1::text[], $2::text[]) as f(k, s) on conflict (key) do update set state = excluded.state",
                keys, keys.Select(k => JsonSerializer.Serialize(_facts[k], _facts[k]!.GetType(), DomainJson.Options)).ToArray())),
            (_closed.Count > 0, () => Sql.Command($"delete from {schema}.obligations where id = any($1)", _closed.ToArray())),
            (opened.Length > 0, () => Sql.Command(
                $"""
                insert into {schema}.obligations (id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, due, evidence)
                select id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, due, evidence::jsonb
                from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::text[])
                    as o(id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, due, evidence)
                """,
                opened.Select(o => o.Id).ToArray(), opened.Select(o => (int?)o.Indicator).ToArray(), opened.Select(o => o.Code).ToArray(),
                opened.Select(o => o.Message).ToArray(), opened.Select(o => o.RuleId).ToArray(), opened.Select(o => o.RuleSource).ToArray(),
                opened.Select(o => o.InstitutionId).ToArray(), opened.Select(o => o.PractitionerId).ToArray(), opened.Select(o => o.PatientRef).ToArray(),
                opened.Select(o => Sql.Time(o.Due)).ToArray(), opened.Select(o => Json(o.Evidence)).ToArray())),
            (Findings.Count > 0, () => Sql.Command(
                $"""
                insert into {schema}.findings (id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, at, sequence, evidence)
                select id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, at, sequence, evidence::jsonb
                from unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::bigint[], $12::text[])
                    as f(id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, at, sequence, evidence)
                on conflict (id) do nothing
                """,
                Findings.Select(f => f.Id).ToArray(), Findings.Select(f => (int?)f.Indicator.Number).ToArray(), Findings.Select(f => f.Code).ToArray(),
                Findings.Select(f => f.Message).ToArray(), Findings.Select(f => f.RuleId).ToArray(), Findings.Select(f => f.RuleSource).ToArray(),
                Findings.Select(f => f.InstitutionId).ToArray(), Findings.Select(f => f.PractitionerId).ToArray(), Findings.Select(f => f.PatientRef).ToArray(),
                Findings.Select(f => Sql.Time(f.At)).ToArray(), Findings.Select(f => (long?)f.Evidence[^1].Sequence).ToArray(), Findings.Select(f => Json(f.Evidence)).ToArray())),
            (practitioners.Length > 0, () => Sql.Command(
                $"""
                insert into {schema}.practitioners (id, name, profession, title, title_grade, registry_number, practice_since, registered_at, suspended, bad_practice_points, enrolments)
                select id, name, profession, title, title_grade, registry_number, practice_since, registered_at, suspended, bad_practice_points, enrolments::jsonb
                from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::timestamptz[], $9::boolean[], $10::int[], $11::text[])
                    as p(id, name, profession, title, title_grade, registry_number, practice_since, registered_at, suspended, bad_practice_points, enrolments)
                on conflict (id) do update set name = excluded.name, profession = excluded.profession, title = excluded.title, title_grade = excluded.title_grade,
                    registry_number = excluded.registry_number, practice_since = excluded.practice_since, registered_at = excluded.registered_at,
                    suspended = excluded.suspended, bad_practice_points = excluded.bad_practice_points, enrolments = excluded.enrolments
                """,
                practitioners.Select(p => p.Id).ToArray(), practitioners.Select(p => p.Name).ToArray(), practitioners.Select(p => p.Profession.ToString()).ToArray(),
                practitioners.Select(p => p.Title).ToArray(), practitioners.Select(p => p.Grade.ToString()).ToArray(), practitioners.Select(p => p.RegistryNumber).ToArray(),
                practitioners.Select(p => (DateOnly?)p.PracticeSince.ToDateOnly()).ToArray(), practitioners.Select(p => Sql.Time(p.RegisteredAt)).ToArray(),
                practitioners.Select(p => (bool?)p.Suspended).ToArray(), practitioners.Select(p => (int?)p.BadPracticePoints).ToArray(), practitioners.Select(p => Json(p.Enrolments)).ToArray())),
            (History.Count > 0, () => Sql.Command(
                $"""
                insert into {schema}.practitioner_history (practitioner_id, sequence, event_id, event_type, at, kind, detail)
                select * from unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
                """,
                History.Select(h => h.PractitionerId).ToArray(), History.Select(h => (long?)h.Event.Sequence).ToArray(), History.Select(h => h.Event.EventId).ToArray(),
                History.Select(h => h.Event.EventType).ToArray(), History.Select(h => Sql.Time(h.At)).ToArray(), History.Select(h => h.Kind).ToArray(),
                History.Select(h => h.Detail).ToArray())),
            (adverse.Length > 0, () => Sql.Command(
                $"""
                insert into {schema}.adverse_events (id, institution_id, patient_ref, category, severity, occurred_at, recorded_at, deadline, reported_at, rule_id, rule_source, evidence)
                select id, institution_id, patient_ref, category, severity, occurred_at, recorded_at, deadline, reported_at, rule_id, rule_source, evidence::jsonb
                from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::text[])
                    as a(id, institution_id, patient_ref, category, severity, occurred_at, recorded_at, deadline, reported_at, rule_id, rule_source, evidence)
                on conflict (id) do update set reported_at = excluded.reported_at, evidence = excluded.evidence
                """,
                adverse.Select(a => a.Id).ToArray(), adverse.Select(a => a.InstitutionId).ToArray(), adverse.Select(a => a.PatientRef).ToArray(),
                adverse.Select(a => a.Category.ToString()).ToArray(), adverse.Select(a => a.Severity.ToString()).ToArray(), adverse.Select(a => Sql.Time(a.OccurredAt)).ToArray(),
                adverse.Select(a => Sql.Time(a.RecordedAt)).ToArray(), adverse.Select(a => Sql.Time(a.Deadline)).ToArray(), adverse.Select(a => Sql.Time(a.ReportedAt)).ToArray(),
                adverse.Select(a => a.RuleId).ToArray(), adverse.Select(a => a.RuleSource).ToArray(), adverse.Select(a => Json(a.Evidence)).ToArray())),
        ]);
    }

    private static string Key(string kind, string id) => $"{kind}:{id}";

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, DomainJson.Options);

    private const string ObligationColumns = "id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, due, evidence";

    private async Task ReadObligationsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            var o = new Obligation(id, reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(9)), JsonSerializer.Deserialize<List<EvidenceLink>>(reader.GetString(10), DomainJson.Options)!);
            _open[id] = o;
            _byDue.Add((o.Due, o.Id));
        }
    }

    private async Task LoadFactsAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        var wanted = keys.Where(k => !_facts.ContainsKey(k)).Distinct().ToArray();
        if (wanted.Length == 0) return;
        foreach (var key in wanted) _facts[key] = null;
        var stored = wanted.Where(memory.MayStore).ToArray();
        if (stored.Length == 0) return;
        await ReadTablesAsync(ct,
            (new NpgsqlBatchCommand($"select key, state::text from {schema}.facts where key = any($1)") { Parameters = { new() { Value = stored } } }, ReadFactsAsync));
    }

    private async Task ReadStoredKeysAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct)) memory.Stored(reader.GetString(0));
    }

    /// <summary>
    /// Runs reads of the view's tables in one round trip, each result to its consumer; the batch's first also reads
    /// where the checkpoint stands (<see cref="ReadAt"/>).
    /// </summary>
    private async Task ReadTablesAsync(CancellationToken ct, params (NpgsqlBatchCommand Read, Func<NpgsqlDataReader, CancellationToken, Task> Consume)[] reads)
    {
        var first = checkpoint is not null && ReadAt is null;
        await using var batch = new NpgsqlBatch(connection);
        if (first)
            batch.BatchCommands.Add(new NpgsqlBatchCommand("select position from projections.checkpoints where projection = $1") { Parameters = { new() { Value = checkpoint } } });
        foreach (var (read, _) in reads) batch.BatchCommands.Add(read);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        if (first)
        {
            ReadAt = await reader.ReadAsync(ct) ? reader.GetInt64(0) : -1;
            await reader.NextResultAsync(ct);
        }
        for (var i = 0; i < reads.Length; i++)
        {
            if (i > 0) await reader.NextResultAsync(ct);
            await reads[i].Consume(reader, ct);
        }
    }

    private async Task ReadFactsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetString(0);
            var type = KindTypes[key[..key.IndexOf(':')]];
            _facts[key] = (Facts)JsonSerializer.Deserialize(reader.GetString(1), type, DomainJson.Options)!;
        }
    }

    private sealed class LogClock : Facts
    {
        public Instant At { get; set; }
    }
}
