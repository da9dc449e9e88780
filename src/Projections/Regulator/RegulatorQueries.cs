using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Records.Domain.Serialization;

namespace Records.Projections.Regulator;

/// <summary>Which findings: every filter is optional; <see cref="AsOf"/> also shows deadlines passed by that instant but not yet by the log.</summary>
public sealed record FindingFilter
{
    public string? InstitutionId { get; init; }

    public string? PractitionerId { get; init; }

    /// <summary>A patient's id: matched by its pseudonym, which is all the view holds.</summary>
    public string? PatientId { get; init; }

    public int? Indicator { get; init; }

    public string? RuleId { get; init; }

    /// <summary>Findings at or after this instant.</summary>
    public Instant? From { get; init; }

    /// <summary>Findings before this instant.</summary>
    public Instant? To { get; init; }

    /// <summary>Judge deadlines as of this instant: the log's own findings up to it, plus obligations whose deadline it has passed.</summary>
    public Instant? AsOf { get; init; }

    public int Limit { get; init; } = 1000;
}

public enum CountPeriod
{
    Day,
    Month,
}

/// <summary>How many findings of one indicator an institution's practitioner had in one period (China time).</summary>
public sealed record FindingCount(string? InstitutionId, string? PractitionerId, Indicator Indicator, LocalDate PeriodStart, long Count);

public sealed record RegisteredEnrolment(string InstitutionId, string Kind, IReadOnlyList<string> Scope, Instant EnrolledAt, Instant? EndedAt);

public sealed record RegisterEvent(Instant At, string Kind, string Detail, EvidenceLink Event);

/// <summary>A practitioner in the qualification register, with the years of practice as of the query's instant and the whole history.</summary>
public sealed record RegisterEntry(
    string PractitionerId, string Name, string Profession, string Title, string TitleGrade, string RegistryNumber, LocalDate PracticeSince, int PracticeYears,
    bool Suspended, int BadPracticePoints, IReadOnlyList<RegisteredEnrolment> Enrolments, IReadOnlyList<RegisterEvent> History);

public enum DeadlineStatus
{
    /// <summary>Reported by the deadline.</summary>
    Met,
    /// <summary>Reported after the deadline.</summary>
    Late,
    /// <summary>Not reported, and the deadline has passed as of the query's instant.</summary>
    Overdue,
    /// <summary>Not reported, still within the deadline.</summary>
    Pending,
    /// <summary>No reporting rule in force for it.</summary>
    NoDeadline,
}

public sealed record AdverseEventEntry(
    string AdverseEventId, string? InstitutionId, string? PatientRef, string Category, string Severity, Instant OccurredAt, Instant RecordedAt,
    Instant? Deadline, Instant? ReportedAt, DeadlineStatus Status, string? RuleId, string? RuleSource, IReadOnlyList<EvidenceLink> Evidence);

/// <summary>
/// What the regulator asks of the view: findings, counts, the qualification register and adverse events. Patients
/// appear only by pseudonym. Time questions take an explicit instant, or the log's own time; never the wall clock.
/// </summary>
public sealed class RegulatorQueries(NpgsqlDataSource dataSource, Pseudonymizer pseudonyms, string schema = RegulatorProjection.SchemaName)
{
    private const string FindingColumns = "id, indicator, code, message, rule_id, rule_source, institution_id, practitioner_id, patient_ref, at, evidence, overdue";

    public async Task<IReadOnlyList<Finding>> FindingsAsync(FindingFilter filter, CancellationToken ct = default)
    {
        if (filter.Limit is < 1 or > 10_000) throw new RegulatorQueryException("regulator.bad_limit", "Ask for between 1 and 10,000 findings at a time.");
        await using var command = FindingsCommand(filter, $"select {FindingColumns} from f order by at, id limit {filter.Limit}");
        var findings = new List<Finding>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            findings.Add(new Finding(reader.GetString(0), Indicators.Number(reader.GetInt32(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), Text(reader, 6), Text(reader, 7), Text(reader, 8), InstantAt(reader, 9), Evidence(reader.GetString(10)), reader.GetBoolean(11)));
        }

        return findings;
    }

    /// <summary>Findings counted per institution, practitioner, indicator and day or month (China time).</summary>
    public async Task<IReadOnlyList<FindingCount>> CountsAsync(FindingFilter filter, CountPeriod period, CancellationToken ct = default)
    {
        var unit = period switch
        {
            CountPeriod.Day => "day",
            CountPeriod.Month => "month",
            _ => throw new RegulatorQueryException("regulator.bad_period", $"Count by day or by month, not {period}."),
        };
        await using var command = FindingsCommand(filter, $"""
            select institution_id, practitioner_id, indicator, date_trunc('{unit}', at at time zone 'Asia/Shanghai')::date as period, count(*)
            from f group by 1, 2, 3, 4 order by 4, 1 nulls first, 2 nulls first, 3
            """);
        var counts = new List<FindingCount>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts.Add(new FindingCount(Text(reader, 0), Text(reader, 1), Indicators.Number(reader.GetInt32(2)),
                LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(3)), reader.GetInt64(4)));
        }

        return counts;
    }

    /// <summary>The qualification register: one practitioner or all enrolled at an institution (or everyone), years counted as of <paramref name="asOf"/> or the log's time.</summary>
    public async Task<IReadOnlyList<RegisterEntry>> RegisterAsync(string? practitionerId = null, string? institutionId = null, Instant? asOf = null, CancellationToken ct = default)
    {
        var at = asOf ?? await LogTimeAsync(ct);
        var entries = new List<(RegisterEntry Entry, List<RegisterEvent> History)>();
        await using (var command = dataSource.CreateCommand($"""
            select id, name, profession, title, title_grade, registry_number, practice_since, suspended, bad_practice_points, enrolments::text
            from {schema}.practitioners
            where ($1::text is null or id = $1) and ($2::text is null or enrolments ? $2)
            order by id
            """))
        {
            command.Parameters.Add(Param(practitionerId));
            command.Parameters.Add(Param(institutionId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var since = LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(6));
                var enrolments = JsonSerializer.Deserialize<Dictionary<string, EnrolmentFacts>>(reader.GetString(9), DomainJson.Options)!
                    .OrderBy(e => e.Key, StringComparer.Ordinal)
                    .Select(e => new RegisteredEnrolment(e.Key, e.Value.Kind.ToString(), e.Value.Scope, e.Value.EnrolledAt, e.Value.EndedAt))
                    .ToList();
                var history = new List<RegisterEvent>();
                entries.Add((new RegisterEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    since, at is { } t ? Domain.ChinaTime.YearsSince(since, t) : 0, reader.GetBoolean(7), reader.GetInt32(8), enrolments, history), history));
            }
        }

        if (entries.Count == 0) return [];
        await using (var command = dataSource.CreateCommand($"""
            select practitioner_id, at, kind, detail, event_id, sequence, event_type from {schema}.practitioner_history
            where practitioner_id = any($1) order by practitioner_id, sequence
            """))
        {
            command.Parameters.Add(new() { Value = entries.Select(e => e.Entry.PractitionerId).ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var byId = entries.ToDictionary(e => e.Entry.PractitionerId, e => e.History);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetString(0);
                byId[id].Add(new RegisterEvent(InstantAt(reader, 1), reader.GetString(2), reader.GetString(3),
                    new EvidenceLink(reader.GetGuid(4), reader.GetInt64(5), reader.GetString(6))));
            }
        }

        return entries.Select(e => e.Entry).ToList();
    }

    /// <summary>Adverse events and data leaks with their reporting deadline, judged as of <paramref name="asOf"/> or the log's time.</summary>
    public async Task<IReadOnlyList<AdverseEventEntry>> AdverseEventsAsync(string? institutionId = null, Instant? asOf = null, CancellationToken ct = default)
    {
        var at = asOf ?? await LogTimeAsync(ct);
        await using var command = dataSource.CreateCommand($"""
            select id, institution_id, patient_ref, category, severity, occurred_at, recorded_at, deadline, reported_at, rule_id, rule_source, evidence::text
            from {schema}.adverse_events where $1::text is null or institution_id = $1 order by recorded_at, id
            """);
        command.Parameters.Add(Param(institutionId));
        var entries = new List<AdverseEventEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            Instant? deadline = reader.IsDBNull(7) ? null : InstantAt(reader, 7);
            Instant? reported = reader.IsDBNull(8) ? null : InstantAt(reader, 8);
            var status = (deadline, reported) switch
            {
                (null, _) => DeadlineStatus.NoDeadline,
                ({ } d, { } r) => r <= d ? DeadlineStatus.Met : DeadlineStatus.Late,
                ({ } d, null) => at is { } now && now > d ? DeadlineStatus.Overdue : DeadlineStatus.Pending,
            };
            entries.Add(new AdverseEventEntry(reader.GetString(0), Text(reader, 1), Text(reader, 2), reader.GetString(3), reader.GetString(4), InstantAt(reader, 5),
                InstantAt(reader, 6), deadline, reported, status, Text(reader, 9), Text(reader, 10), Evidence(reader.GetString(11))));
        }

        return entries;
    }

    /// <summary>The log's own time: the latest time an applied event says it happened; null before any event.</summary>
    public async Task<Instant?> LogTimeAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand($"select (state->>'at') from {schema}.facts where key = 'clock:log'");
        return await command.ExecuteScalarAsync(ct) is string at ? NodaTime.Text.InstantPattern.ExtendedIso.Parse(at).Value : null;
    }

    private NpgsqlCommand FindingsCommand(FindingFilter filter, string select)
    {
        if (filter.From is { } from && filter.To is { } to && from >= to)
        {
            throw new RegulatorQueryException("regulator.bad_period", "The period's start must come before its end.");
        }

        if (filter.Indicator is { } n) Indicators.Number(n);
        var command = dataSource.CreateCommand($"""
            with f as (
                select {FindingColumns.Replace("evidence, overdue", "evidence::text as evidence, false as overdue")} from {schema}.findings
                where $7::timestamptz is null or at <= $7
                union all
                select {FindingColumns.Replace(" at,", " due as at,").Replace("evidence, overdue", "evidence::text, true")} from {schema}.obligations
                where $7::timestamptz is not null and due < $7)
            {select.Replace("from f", """
                from f where ($1::text is null or institution_id = $1) and ($2::text is null or practitioner_id = $2)
                and ($3::text is null or patient_ref = $3) and ($4::int is null or indicator = $4) and ($5::text is null or rule_id = $5)
                and ($6::timestamptz is null or at >= $6) and ($8::timestamptz is null or at < $8)
                """)}
            """);
        command.Parameters.Add(Param(filter.InstitutionId));
        command.Parameters.Add(Param(filter.PractitionerId));
        command.Parameters.Add(Param(filter.PatientId is { } patient ? pseudonyms.Of(patient) : null));
        command.Parameters.Add(new() { Value = (object?)filter.Indicator ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(Param(filter.RuleId));
        command.Parameters.Add(Param(filter.From));
        command.Parameters.Add(Param(filter.AsOf));
        command.Parameters.Add(Param(filter.To));
        return command;
    }

    private static NpgsqlParameter Param(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Param(Instant? value) => new() { Value = (object?)value?.ToDateTimeUtc() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static Instant InstantAt(NpgsqlDataReader reader, int i) => Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(i));

    private static List<EvidenceLink> Evidence(string json) => JsonSerializer.Deserialize<List<EvidenceLink>>(json, DomainJson.Options)!;
}
