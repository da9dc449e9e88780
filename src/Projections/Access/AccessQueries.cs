using NodaTime;
using Npgsql;
using Records.Domain;
using static Records.Projections.Views.Sql;

namespace Records.Projections.Access;

/// <summary>
/// A read of patient data. <see cref="RelationshipInForce"/> is whether the view knows a care
/// relationship of the reader with the patient at the time of the read (a read that claims one
/// without it deserves a look).
/// </summary>
public sealed record AccessRead(
    string AccessId, string PatientId, string ReaderId, string ReaderRole, string Resource, string Purpose, bool CareRelationship,
    bool BreakGlass, string? BreakGlassReason, Instant ReadAt, string? InstitutionId, Guid EventId, long Sequence, bool RelationshipInForce,
    BreakGlassReview? Review);

public sealed record BreakGlassReview(string ReviewerId, bool Justified, string Note, Instant ReviewedAt, Guid EventId);

/// <summary>A patient whose record a person could see, on what basis, and the interval that basis is in force.</summary>
public sealed record Visibility(string PatientId, string Role, string BasisStreamId, Instant ValidFrom, Instant? ValidUntil, Guid OpenedByEventId);

/// <summary>
/// Reads of the <c>access</c> view, for the API to call. <paramref name="recentCare"/> is how long a relationship lasts after
/// its record ends (<see cref="CareLedger"/>): a setting of the reads, so changing it rebuilds nothing.
/// </summary>
public sealed class AccessQueries(NpgsqlDataSource dataSource, Duration recentCare, string schema = "access")
{
    /// <summary>When relationship <c>c</c> stops being in force (null: it is); the window is a number of seconds, written into the query.</summary>
    private string ValidUntil => $"c.ended_at + case when c.lingers then interval '{(long)recentCare.TotalSeconds} seconds' else interval '0' end";

    /// <summary>Whether relationship <c>c</c> is with the reader of role <c>{role}</c> named by <c>{person}</c>, at <c>{at}</c>.</summary>
    private string InForce(string person, string role, string at) => $"""
        (c.person_id = {person} or (c.person_id = '{CareLedger.AnyPharmacist}' and {role} = 'Pharmacist'))
        and c.valid_from <= {at} and (c.ended_at is null or {at} < {ValidUntil})
        """;

    private string ReadColumns => $"""
        r.access_id, r.patient_id, r.reader_id, r.reader_role, r.resource, r.purpose, r.care_relationship, r.break_glass, r.break_glass_reason,
        r.read_at, r.institution_id, r.event_id, r.sequence,
        exists (select 1 from {schema}.care_relationships c where c.patient_id = r.patient_id and {InForce("r.reader_id", "r.reader_role", "r.read_at")}),
        r.reviewed, r.reviewer_id, r.justified, r.review_note, r.reviewed_at, r.review_event_id
        """;

    /// <summary>Who read the patient's data between <paramref name="from"/> and <paramref name="to"/> (inclusive, exclusive), in order.</summary>
    public Task<IReadOnlyList<AccessRead>> ReadsOfPatientAsync(string patientId, Instant? from = null, Instant? to = null, CancellationToken cancellationToken = default) =>
        ReadsAsync("r.patient_id = $1", patientId, from, to, cancellationToken);

    /// <summary>What the person read, in order.</summary>
    public Task<IReadOnlyList<AccessRead>> ReadsByReaderAsync(string readerId, Instant? from = null, Instant? to = null, CancellationToken cancellationToken = default) =>
        ReadsAsync("r.reader_id = $1", readerId, from, to, cancellationToken);

    /// <summary>Break-glass reads not reviewed yet, oldest first (optionally of one institution).</summary>
    public Task<IReadOnlyList<AccessRead>> UnreviewedBreakGlassAsync(string? institutionId = null, CancellationToken cancellationToken = default) =>
        ReadsAsync("r.break_glass and not r.reviewed and ($1::text is null or r.institution_id = $1)", institutionId, null, null, cancellationToken);

    /// <summary>The patients whose records <paramref name="personId"/>, in <paramref name="role"/>, could see at <paramref name="at"/>, by care relationship.</summary>
    public async Task<IReadOnlyList<Visibility>> CouldSeeAtAsync(string personId, Role role, Instant at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            select c.patient_id, c.role, c.basis_stream_id, c.valid_from, {ValidUntil}, c.opened_event_id from {schema}.care_relationships c
            where {InForce("$1", "$2", "$3")}
            order by c.patient_id, c.valid_from, c.basis_stream_id, c.role
            """);
        command.Parameters.Add(new() { Value = personId });
        command.Parameters.Add(new() { Value = role.ToString() });
        command.Parameters.Add(new() { Value = at.ToDateTimeUtc() });
        var rows = new List<Visibility>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Visibility(reader.GetString(0), reader.GetString(1), reader.GetString(2), Instant.FromDateTimeUtc(reader.GetDateTime(3)),
                OptionalInstant(reader, 4), reader.GetGuid(5)));
        }
        return rows;
    }

    private async Task<IReadOnlyList<AccessRead>> ReadsAsync(string where, string? key, Instant? from, Instant? to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            select {ReadColumns} from {schema}.reads r
            where {where} and r.read_at >= $2 and r.read_at < $3 order by r.read_at, r.sequence
            """);
        command.Parameters.Add(new() { Value = (object?)key ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (from ?? Instant.FromUtc(1, 1, 1, 0, 0)).ToDateTimeUtc() });
        command.Parameters.Add(new() { Value = (to ?? Instant.FromUtc(9999, 12, 31, 0, 0)).ToDateTimeUtc() });
        var rows = new List<AccessRead>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var review = reader.GetBoolean(14)
                ? new BreakGlassReview(reader.GetString(15), reader.GetBoolean(16), reader.GetString(17), Instant.FromDateTimeUtc(reader.GetDateTime(18)), reader.GetGuid(19))
                : null;
            rows.Add(new AccessRead(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetBoolean(6), reader.GetBoolean(7), Text(reader, 8), Instant.FromDateTimeUtc(reader.GetDateTime(9)), Text(reader, 10), reader.GetGuid(11),
                reader.GetInt64(12), reader.GetBoolean(13), review));
        }
        return rows;
    }
}
