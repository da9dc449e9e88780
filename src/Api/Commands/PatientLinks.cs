using NodaTime;
using Npgsql;

namespace Records.Api.Commands;

/// <summary>A consultation of a patient as far as access needs it: who took it and when it ended (null: still open).</summary>
public sealed record ConsultationLink(string ConsultationId, string? DoctorId, Instant? EndedAt);

/// <summary>A prescription of a patient as far as access needs it: whether it awaits review, who reviewed it and when.</summary>
public sealed record PrescriptionLink(string PrescriptionId, bool AwaitingReview, string? ReviewerId, Instant? ReviewedAt);

/// <summary>
/// The records that name a patient, found in the event log itself (not in a view), so a decision or
/// an access check made right after a write sees that write. Stream ids are <c>type-id</c>.
/// </summary>
/// <remarks>
/// These read the events' JSON by the field names of the domain's stable event types. They scan the
/// patient's creating events; the access view's care relationships are the indexed form once a
/// view's lag is acceptable for the question asked.
/// </remarks>
public sealed class PatientLinks(NpgsqlDataSource dataSource)
{
    /// <summary>The ids of the consents granted for the patient, in order.</summary>
    public async Task<IReadOnlyList<string>> ConsentIdsAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select data->>'consentId' from eventstore.events
            where event_type = 'consent.granted.v1' and data->>'patientId' = $1 order by id
            """);
        command.Parameters.Add(new() { Value = patientId });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }

    public async Task<IReadOnlyList<ConsultationLink>> ConsultationsAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select r.data->>'consultationId',
                (select a.data->>'doctorId' from eventstore.events a
                 where a.stream_id = r.stream_id and a.event_type = 'consultation.accepted.v1' limit 1),
                (select min(e.recorded_at) from eventstore.events e
                 where e.stream_id = r.stream_id and e.event_type in ('consultation.completed.v1', 'consultation.terminated.v1'))
            from eventstore.events r
            where r.event_type = 'consultation.requested.v1' and r.data->>'patientId' = $1 order by r.id
            """);
        command.Parameters.Add(new() { Value = patientId });
        var links = new List<ConsultationLink>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            links.Add(new ConsultationLink(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : Instant.FromDateTimeUtc(reader.GetDateTime(2))));
        }
        return links;
    }

    public async Task<IReadOnlyList<PrescriptionLink>> PrescriptionsAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select d.data->>'prescriptionId',
                exists (select 1 from eventstore.events s where s.stream_id = d.stream_id and s.event_type = 'prescription.signed.v1')
                    and not exists (select 1 from eventstore.events x where x.stream_id = d.stream_id
                        and x.event_type in ('prescription.approved.v1', 'prescription.rejected.v1', 'prescription.cancelled.v1', 'prescription.expired.v1')),
                v.data->>'reviewerId', v.recorded_at
            from eventstore.events d
            left join lateral (select x.data, x.recorded_at from eventstore.events x where x.stream_id = d.stream_id
                and x.event_type in ('prescription.approved.v1', 'prescription.rejected.v1') order by x.version limit 1) v on true
            where d.event_type = 'prescription.drafted.v1' and d.data->>'patientId' = $1 order by d.id
            """);
        command.Parameters.Add(new() { Value = patientId });
        var links = new List<PrescriptionLink>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            links.Add(new PrescriptionLink(reader.GetString(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : Instant.FromDateTimeUtc(reader.GetDateTime(3))));
        }
        return links;
    }
}
