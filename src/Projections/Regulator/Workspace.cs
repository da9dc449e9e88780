using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Records.Domain.Serialization;

namespace Records.Projections.Regulator;

/// <summary>
/// One batch's working set: the facts it reads and changes (loaded once, written back once), the open
/// obligations it may meet or see expire, and the findings and register rows it produces.
/// </summary>
internal sealed class Workspace(NpgsqlConnection connection, string schema)
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

    private readonly Dictionary<string, Facts?> _facts = [];
    private readonly HashSet<string> _changed = [];
    private readonly Dictionary<string, Obligation> _open = [];
    private readonly SortedSet<(Instant Due, string Id)> _byDue = [];
    private readonly HashSet<string> _knownClosed = [];
    private readonly List<Obligation> _opened = [];
    private readonly List<string> _closed = [];
    private readonly HashSet<string> _findingIds = [];

    public List<Finding> Findings { get; } = [];

    public List<(string PractitionerId, EvidenceLink Event, Instant At, string Kind, string Detail)> History { get; } = [];

    /// <summary>The log's own time: the latest time any event applied so far says it happened.</summary>
    public Instant Clock { get; private set; }

    public async Task LoadAsync(IEnumerable<string> keys, Instant latestInBatch, CancellationToken ct)
    {
        await LoadFactsAsync(keys.Append(ClockKey), ct);
        Clock = ((LogClock?)_facts[ClockKey])?.At ?? Instant.MinValue;

        // Every obligation this batch can see expire: the log's time only grows, to at most the later of the two.
        var horizon = Clock > latestInBatch ? Clock : latestInBatch;
        await using var command = new NpgsqlCommand($"select {ObligationColumns} from {schema}.obligations where due < $1", connection);
        command.Parameters.Add(new() { Value = horizon.ToDateTimeUtc(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await ReadObligationsAsync(command, ct);
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

    public void Open(Obligation obligation)
    {
        _open[obligation.Id] = obligation;
        _byDue.Add((obligation.Due, obligation.Id));
        _opened.Add(obligation);
    }

    /// <summary>Closes the obligation if it is still open, and returns it; null when there was none or it was already breached.</summary>
    public async Task<Obligation?> CloseAsync(string id, CancellationToken ct)
    {
        if (!_open.ContainsKey(id) && !_knownClosed.Contains(id))
        {
            await using var command = new NpgsqlCommand($"select {ObligationColumns} from {schema}.obligations where id = $1", connection);
            command.Parameters.Add(new() { Value = id });
            await ReadObligationsAsync(command, ct);
        }

        if (!_open.Remove(id, out var obligation))
        {
            _knownClosed.Add(id);
            return null;
        }

        _byDue.Remove((obligation.Due, obligation.Id));
        _knownClosed.Add(id);
        _closed.Add(id);
        return obligation;
    }

    /// <summary>The open obligations whose deadline is before the log's time, closed, in deadline order.</summary>
    public async Task<IReadOnlyList<Obligation>> ExpireAsync(CancellationToken ct)
    {
        var expired = new List<Obligation>();
        while (_byDue.Count > 0 && _byDue.Min.Due < Clock)
        {
            expired.Add((await CloseAsync(_byDue.Min.Id, ct))!);
        }

        return expired;
    }

    public IEnumerable<T> ChangedFacts<T>()
        where T : Facts =>
        _changed.Select(k => _facts[k]).OfType<T>();

    public async Task SaveAsync(CancellationToken ct)
    {
        var batch = new NpgsqlBatch(connection);
        var keys = _changed.Order(StringComparer.Ordinal).ToArray();
        var upsert = new NpgsqlBatchCommand(
            $"insert into {schema}.facts (key, state) select * from unnest($1::text[], $2::jsonb[]) on conflict (key) do update set state = excluded.state");
        upsert.Parameters.Add(new() { Value = keys });
        upsert.Parameters.Add(new() { Value = keys.Select(k => JsonSerializer.Serialize(_facts[k], _facts[k]!.GetType(), DomainJson.Options)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        batch.BatchCommands.Add(upsert);

        var closed = new NpgsqlBatchCommand($"delete from {schema}.obligations where id = any($1)");
        closed.Parameters.Add(new() { Value = _closed.ToArray() });
        batch.BatchCommands.Add(closed);
        foreach (var o in _opened.Where(o => _open.ContainsKey(o.Id)))
        {
            batch.BatchCommands.Add(Insert("obligations", "id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, due, evidence",
                o.Id, o.Indicator, o.Code, o.Message, o.RuleId, o.RuleSource, o.InstitutionId, o.PractitionerId, o.PatientRef, o.Due, Json(o.Evidence)));
        }

        foreach (var f in Findings)
        {
            var command = Insert("findings", "id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, at, sequence, evidence",
                f.Id, f.Indicator.Number, f.Code, f.Message, f.RuleId, f.RuleSource, f.InstitutionId, f.PractitionerId, f.PatientRef, f.At,
                f.Evidence[^1].Sequence, Json(f.Evidence));
            command.CommandText += " on conflict (id) do nothing";
            batch.BatchCommands.Add(command);
        }

        foreach (var p in ChangedFacts<PractitionerFacts>())
        {
            var command = Insert("practitioners", "id, name, profession, title, title_grade, registry_number, practice_since, registered_at, suspended, bad_practice_points, enrolments",
                p.Id, p.Name, p.Profession.ToString(), p.Title, p.Grade.ToString(), p.RegistryNumber, p.PracticeSince.ToDateOnly(), p.RegisteredAt, p.Suspended, p.BadPracticePoints, Json(p.Enrolments));
            command.CommandText += """
                 on conflict (id) do update set name = excluded.name, profession = excluded.profession, title = excluded.title, title_grade = excluded.title_grade,
                 registry_number = excluded.registry_number, practice_since = excluded.practice_since, registered_at = excluded.registered_at,
                 suspended = excluded.suspended, bad_practice_points = excluded.bad_practice_points, enrolments = excluded.enrolments
                """;
            batch.BatchCommands.Add(command);
        }

        foreach (var h in History)
        {
            batch.BatchCommands.Add(Insert("practitioner_history", "practitioner_id, sequence, event_id, event_type, at, kind, detail",
                h.PractitionerId, h.Event.Sequence, h.Event.EventId, h.Event.EventType, h.At, h.Kind, h.Detail));
        }

        foreach (var a in ChangedFacts<AdverseEventFacts>())
        {
            var command = Insert("adverse_events", "id, institution_id, patient_ref, category, severity, occurred_at, recorded_at, deadline, reported_at, rule_id, rule_source, evidence",
                a.Id, a.InstitutionId, a.PatientRef, a.Category.ToString(), a.Severity.ToString(), a.OccurredAt, a.RecordedAt, a.Deadline, a.ReportedAt,
                a.RuleId, a.RuleSource, Json(a.Evidence));
            command.CommandText += " on conflict (id) do update set reported_at = excluded.reported_at, evidence = excluded.evidence";
            batch.BatchCommands.Add(command);
        }

        await using (batch)
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
    }

    private static string Key(string kind, string id) => $"{kind}:{id}";

    private static JsonbValue Json<T>(T value) => new(JsonSerializer.Serialize(value, DomainJson.Options));

    private NpgsqlBatchCommand Insert(string table, string columns, params object?[] values)
    {
        var command = new NpgsqlBatchCommand($"insert into {schema}.{table} ({columns}) values ({string.Join(", ", values.Select((_, i) => $"${i + 1}"))})");
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Unknown },
                JsonbValue json => new NpgsqlParameter { Value = json.Text, NpgsqlDbType = NpgsqlDbType.Jsonb },
                Instant instant => new NpgsqlParameter { Value = instant.ToDateTimeUtc(), NpgsqlDbType = NpgsqlDbType.TimestampTz },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    private const string ObligationColumns = "id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, due, evidence";

    private async Task ReadObligationsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            if (_open.ContainsKey(id) || _knownClosed.Contains(id)) continue;
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
        await using var command = new NpgsqlCommand($"select key, state::text from {schema}.facts where key = any($1)", connection);
        command.Parameters.Add(new() { Value = wanted });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetString(0);
            var type = KindTypes[key[..key.IndexOf(':')]];
            _facts[key] = (Facts)JsonSerializer.Deserialize(reader.GetString(1), type, DomainJson.Options)!;
        }
    }

    private sealed record JsonbValue(string Text);

    private sealed class LogClock : Facts
    {
        public Instant At { get; set; }
    }
}
