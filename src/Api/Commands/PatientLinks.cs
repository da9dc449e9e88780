using System.Text;
using NodaTime;
using Npgsql;
using Records.Domain;
using Records.Domain.Serialization;
using Records.Projections.Access;

namespace Records.Api.Commands;

/// <summary>A consultation of a patient: when it ended (null: still open), for retention.</summary>
public sealed record ConsultationLink(string ConsultationId, Instant? EndedAt);

/// <summary>An event of a patient's records that <see cref="CareLedger"/> reads.</summary>
public sealed record CareEvent(string StreamId, IDomainEvent Event, Guid EventId);

/// <summary>
/// The records that name a patient, found in the event log itself (not in a view), so a decision or
/// an access check made right after a write sees that write. Stream ids are <c>type-id</c>.
/// </summary>
/// <remarks>
/// These read the events' JSON by the field names of the domain's stable event types, through the partial expression index
/// <c>events_by_patient</c> on the creating events' patient id (src/Projections/Migrations/0004_events_by_patient.sql).
/// The statements are public for the plan tests; each takes the patient's id as <c>$1</c>.
/// </remarks>
public sealed class PatientLinks(NpgsqlDataSource dataSource)
{
    public const string ConsentIdsStatement = """
        select data->>'consentId' from eventstore.events
        where event_type = 'consent.granted.v1' and data->>'patientId' = $1 order by id
        """;

    public const string ConsultationsStatement = """
        select r.data->>'consultationId',
            (select min(e.recorded_at) from eventstore.events e
             where e.stream_id = r.stream_id and e.event_type in ('consultation.completed.v1', 'consultation.terminated.v1'))
        from eventstore.events r
        where r.event_type = 'consultation.requested.v1' and r.data->>'patientId' = $1 order by r.id
        """;

    public const string PrescriptionIdsStatement = """
        select data->>'prescriptionId' from eventstore.events
        where event_type = 'prescription.drafted.v1' and data->>'patientId' = $1 order by id
        """;

    /// <summary><c>$2</c>: the event types <see cref="CareLedger"/> reads.</summary>
    public const string CareEventsStatement = """
        select e.stream_id, e.event_type, e.data::text, e.event_id from eventstore.events e
        where e.event_type = any($2) and e.stream_id in (
            select r.stream_id from eventstore.events r
            where r.event_type in ('consultation.requested.v1', 'prescription.drafted.v1') and r.data->>'patientId' = $1
            union all select 'patient-' || $1)
        order by e.id
        """;

    /// <summary>The event types <see cref="CareLedger"/> reads, by their stored names.</summary>
    public static readonly string[] CareEventTypes = [.. CareLedger.EventTypes.Select(EventTypeRegistry.Default.NameOf)];

    /// <summary>The ids of the consents granted for the patient, in order.</summary>
    public Task<IReadOnlyList<string>> ConsentIdsAsync(string patientId, CancellationToken cancellationToken) =>
        IdsAsync(ConsentIdsStatement, patientId, cancellationToken);

    /// <summary>The ids of the patient's prescriptions, in order.</summary>
    public Task<IReadOnlyList<string>> PrescriptionIdsAsync(string patientId, CancellationToken cancellationToken) =>
        IdsAsync(PrescriptionIdsStatement, patientId, cancellationToken);

    public async Task<IReadOnlyList<ConsultationLink>> ConsultationsAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ConsultationsStatement);
        command.Parameters.Add(new() { Value = patientId });
        var links = new List<ConsultationLink>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            links.Add(new ConsultationLink(reader.GetString(0), reader.IsDBNull(1) ? null : Instant.FromDateTimeUtc(reader.GetDateTime(1))));
        }
        return links;
    }

    /// <summary>The events of the patient's own record, consultations and prescriptions that open or end care relationships, in log order.</summary>
    public async Task<IReadOnlyList<CareEvent>> CareEventsAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CareEventsStatement);
        command.Parameters.Add(new() { Value = patientId });
        command.Parameters.Add(new() { Value = CareEventTypes });
        var events = new List<CareEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new CareEvent(reader.GetString(0), DomainEventSerializer.Default.Deserialize(reader.GetString(1), Encoding.UTF8.GetBytes(reader.GetString(2))),
                reader.GetGuid(3)));
        }
        return events;
    }

    private async Task<IReadOnlyList<string>> IdsAsync(string statement, string patientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(statement);
        command.Parameters.Add(new() { Value = patientId });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }
}
