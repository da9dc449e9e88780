using NodaTime;
using Npgsql;
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

/// <summary>Reads of the <c>access</c> view, for the API to call.</summary>
public sealed class AccessQueries(NpgsqlDataSource dataSource, string schema = "access")
{
    private string ReadColumns => $"""
        r.access_id, r.patient_id, r.reader_id, r.reader_role, r.resource, r.purpose, r.care_relationship, r.break_glass, r.break_glass_reason,
        r.read_at, r.institution_id, r.event_id, r.sequence,
        exists (select 1 from {schema}.care_relationships c where c.person_id = r.reader_id and c.patient_id = r.patient_id
            and c.valid_from <= r.read_at and (c.valid_until is null or c.valid_until > r.read_at)),
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

    /// <summary>The patients whose records <paramref name="personId"/> could see at <paramref name="at"/>, by care relationship.</summary>
    public async Task<IReadOnlyList<Visibility>> CouldSeeAtAsync(string personId, Instant at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            select patient_id, role, basis_stream_id, valid_from, valid_until, opened_event_id from {schema}.care_relationships
            where person_id = $1 and valid_from <= $2 and (valid_until is null or valid_until > $2)
            order by patient_id, valid_from, basis_stream_id, role
            """);
        command.Parameters.Add(new() { Value = personId });
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
