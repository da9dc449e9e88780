using NodaTime;
using Npgsql;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Patient;
using Records.Domain.Prescription;
using Records.Projections.Streams;
using Records.Projections.Views;

namespace Records.Projections.AsOf;

/// <summary>A patient's whole record as it stood at <see cref="At"/>: every record of theirs that existed then, in that state.</summary>
public sealed record PatientRecordAsOf(
    Instant At, PatientState Patient, IReadOnlyList<ConsentState> Consents, IReadOnlyList<ConsultationState> Consultations,
    IReadOnlyList<PrescriptionState> Prescriptions, IReadOnlyList<ClinicalDocumentState> Documents);

/// <summary>
/// Records as they stood at an instant, from events alone: each stream folded with its decider over
/// the events recorded (by the store's authoritative clock) at or before the instant. Which streams
/// are a patient's comes from the EMR view's <c>record_owners</c>, an index over the creation events;
/// every state is folded from the log itself.
/// </summary>
public sealed class AsOfRecords(DomainStore store, NpgsqlDataSource dataSource, string emrSchema = "emr")
{
    /// <summary>The patient's record at <paramref name="at"/>; null if the patient was not registered then.</summary>
    public async Task<PatientRecordAsOf?> PatientAsync(string patientId, Instant at, CancellationToken cancellationToken = default)
    {
        var (patient, version) = await store.LoadAsync<PatientState, IPatientEvent>(
            new StreamRef(StreamTypes.Patient, patientId), PatientState.Initial, PatientDecider.Evolve, at, cancellationToken);
        if (version == 0) return null;

        var streams = new List<(string Type, string Id)>();
        await using (var command = dataSource.CreateCommand($"select stream_id from {emrSchema}.record_owners where patient_id = $1 order by stream_id"))
        {
            command.Parameters.Add(new() { Value = patientId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var streamId = reader.GetString(0);
                var dash = streamId.IndexOf('-');
                streams.Add((streamId[..dash], streamId[(dash + 1)..]));
            }
        }
        var consents = new List<ConsentState>();
        var consultations = new List<ConsultationState>();
        var prescriptions = new List<PrescriptionState>();
        var documents = new List<ClinicalDocumentState>();
        foreach (var (type, id) in streams)
        {
            switch (type)
            {
                case StreamTypes.Consent when await ConsentAsync(id, at, cancellationToken) is { } consent: consents.Add(consent); break;
                case StreamTypes.Consultation when await ConsultationAsync(id, at, cancellationToken) is { } consultation: consultations.Add(consultation); break;
                case StreamTypes.Prescription when await PrescriptionAsync(id, at, cancellationToken) is { } prescription: prescriptions.Add(prescription); break;
                case StreamTypes.Document when await DocumentAsync(id, at, cancellationToken) is { } document: documents.Add(document); break;
            }
        }
        return new PatientRecordAsOf(at, patient, consents, consultations, prescriptions, documents);
    }

    /// <summary>The consultation at <paramref name="at"/>; null if it had not been requested yet.</summary>
    public Task<ConsultationState?> ConsultationAsync(string consultationId, Instant at, CancellationToken cancellationToken = default) =>
        FoldAsync<ConsultationState, IConsultationEvent>(StreamTypes.Consultation, consultationId, ConsultationState.Initial, ConsultationDecider.Evolve, at, cancellationToken);

    /// <summary>The prescription at <paramref name="at"/>; null if it had not been drafted yet.</summary>
    public Task<PrescriptionState?> PrescriptionAsync(string prescriptionId, Instant at, CancellationToken cancellationToken = default) =>
        FoldAsync<PrescriptionState, IPrescriptionEvent>(StreamTypes.Prescription, prescriptionId, PrescriptionState.Initial, PrescriptionDecider.Evolve, at, cancellationToken);

    /// <summary>The document, with the versions it had, at <paramref name="at"/>; null if it had not been created yet.</summary>
    public Task<ClinicalDocumentState?> DocumentAsync(string documentId, Instant at, CancellationToken cancellationToken = default) =>
        FoldAsync<ClinicalDocumentState, IClinicalDocumentEvent>(StreamTypes.Document, documentId, ClinicalDocumentState.Initial, ClinicalDocumentDecider.Evolve, at, cancellationToken);

    public Task<ConsentState?> ConsentAsync(string consentId, Instant at, CancellationToken cancellationToken = default) =>
        FoldAsync<ConsentState, IConsentEvent>(StreamTypes.Consent, consentId, ConsentState.Initial, ConsentDecider.Evolve, at, cancellationToken);

    private async Task<TState?> FoldAsync<TState, TEvent>(
        string type, string id, TState initial, Func<TState, TEvent, TState> evolve, Instant at, CancellationToken cancellationToken)
        where TState : class where TEvent : Records.Domain.IDomainEvent
    {
        var (state, version) = await store.LoadAsync(new StreamRef(type, id), initial, evolve, at, cancellationToken);
        return version == 0 ? null : state;
    }
}
