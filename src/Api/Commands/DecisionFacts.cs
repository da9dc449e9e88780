using NodaTime;
using Records.Api.Access;
using Records.Domain;
using Records.Domain.AdverseEvent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Complaint;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.Domain.Retention;
using Records.Domain.Rules;
using Records.Domain.Signature;
using Records.Projections.Streams;

namespace Records.Api.Commands;

/// <summary>
/// Builds each decider's context (src/Domain/README.md): the authoritative clock, the rule book as
/// seen from this hospital, and the other streams' states a decision reads — the acting
/// practitioner, the patient, the consultation, the signatures a command names, the patient's
/// consents, the institution, the care relationship.
/// </summary>
public sealed class DecisionFacts(DomainStore store, PatientLinks links, CareRelationships care, IClock clock, Regulation regulation, SignatureVerifiers verifiers)
{
    public Instant Now() => clock.GetCurrentInstant();

    public InstitutionContext Institution() => new(Now());

    public PractitionerContext Practitioner() => new(Now(), verifiers);

    public PatientContext Patient() => new(Now(), regulation, verifiers);

    public AdverseEventContext AdverseEvent() => new(Now(), regulation);

    public async Task<ConsentContext> ConsentAsync(IConsentCommand command, ConsentState state, CancellationToken ct)
    {
        var grant = command as GrantConsent;
        return new(Now(), regulation, await PatientAsync(grant?.PatientId ?? state.PatientId, ct), await SignatureAsync(grant?.SignatureId, ct));
    }

    public async Task<ConsultationContext> ConsultationAsync(IConsultationCommand command, ConsultationState state, CancellationToken ct)
    {
        var patientId = (command as RequestConsultation)?.PatientId ?? state.PatientId;
        var institutionId = state.InstitutionId is { Length: > 0 } id ? id : regulation.Place.InstitutionId;
        var consents = new List<ConsentState>();
        foreach (var consentId in await links.ConsentIdsAsync(patientId, ct))
        {
            consents.Add(await LoadAsync<ConsentState, IConsentEvent>("consent", consentId, ConsentState.Initial, ConsentDecider.Evolve, ct));
        }
        // A remote consultation completes on its signed report: the decider checks that signature.
        var reportSignature = await SignatureAsync((command as CompleteConsultation)?.Report?.SignatureId, ct);
        return new(Now(), regulation, await PatientAsync(patientId, ct),
            await LoadAsync<InstitutionState, IInstitutionEvent>("institution", institutionId, InstitutionState.Initial, InstitutionDecider.Evolve, ct),
            await ActingPractitionerAsync(command.Meta.Actor, ct), consents, reportSignature);
    }

    public async Task<PrescriptionContext> PrescriptionAsync(IPrescriptionCommand command, PrescriptionState state, CancellationToken ct)
    {
        var consultationId = (command as DraftPrescription)?.ConsultationId ?? state.ConsultationId;
        var consultation = await LoadAsync<ConsultationState, IConsultationEvent>(
            "consultation", consultationId, ConsultationState.Initial, ConsultationDecider.Evolve, ct);
        var signatureId = command switch
        {
            SignPrescription c => c.SignatureId,
            ApprovePrescription c => c.SignatureId,
            _ => null,
        };
        return new(Now(), regulation, await ActingPractitionerAsync(command.Meta.Actor, ct), consultation,
            await PatientAsync(state.PatientId is { Length: > 0 } p ? p : consultation.PatientId, ct), await SignatureAsync(signatureId, ct));
    }

    public async Task<ClinicalDocumentContext> DocumentAsync(IClinicalDocumentCommand command, ClinicalDocumentState state, CancellationToken ct)
    {
        string[] signatureIds = command switch
        {
            SignDocument c => [c.SignatureId],
            SealDocument c => [c.InstitutionSignatureId, c.PatientSideSignatureId],
            _ => [],
        };
        var signatures = new Dictionary<string, SignatureState>();
        foreach (var id in signatureIds.Distinct())
        {
            if (await SignatureAsync(id, ct) is { } signature) signatures[id] = signature;
        }
        return new(Now(), regulation, await PatientAsync((command as CreateDocument)?.PatientId ?? state.PatientId, ct), signatures);
    }

    /// <summary>The signer is the actor: their keys are on their practitioner stream, or on their patient stream for the patient side.</summary>
    public async Task<SignatureContext> SignatureAsync(ISignatureCommand command, CancellationToken ct)
    {
        var actor = command.Meta.Actor;
        var keys = await ActingPractitionerAsync(actor, ct) is { } practitioner
            ? practitioner.Keys
            : (await LoadAsync<PatientState, IPatientEvent>("patient", actor.Id, PatientState.Initial, PatientDecider.Evolve, ct)).Keys;
        return new(Now(), regulation, keys, verifiers);
    }

    public async Task<ComplaintContext> ComplaintAsync(IComplaintCommand command, ComplaintState state, CancellationToken ct) =>
        new(Now(), await PatientAsync((command as LodgeComplaint)?.PatientId ?? state.PatientId, ct));

    public async Task<RecordAccessContext> RecordAccessAsync(IRecordAccessCommand command, CancellationToken ct)
    {
        var now = Now();
        var relationship = command is RecordRead read && await care.ReadsByRightAsync(read, now, ct);
        return new(now, regulation, relationship);
    }

    /// <summary>The record a purge names and when its retention began: the visit's end, the day written, the patient's last visit.</summary>
    public async Task<PurgeContext> PurgeAsync(IPurgeCommand command, CancellationToken ct)
    {
        var purge = (PurgeRecord)command;
        var now = Now();
        RetainedRecord? record;
        switch (purge.Kind)
        {
            case RetainedRecordKind.Prescription:
                record = RetainedRecords.Of(await LoadAsync<PrescriptionState, IPrescriptionEvent>(
                    "prescription", purge.RecordId, PrescriptionState.Initial, PrescriptionDecider.Evolve, ct));
                break;
            case RetainedRecordKind.ConsultationMedia:
                var visit = await LoadAsync<ConsultationState, IConsultationEvent>(
                    "consultation", purge.RecordId, ConsultationState.Initial, ConsultationDecider.Evolve, ct);
                var ended = visit.PatientId is { Length: > 0 }
                    ? (await links.ConsultationsAsync(visit.PatientId, ct)).FirstOrDefault(c => c.ConsultationId == visit.Id)?.EndedAt
                    : null;
                record = RetainedRecords.Of(visit, ended, now);
                break;
            default:
                var document = await LoadAsync<ClinicalDocumentState, IClinicalDocumentEvent>(
                    "document", purge.RecordId, ClinicalDocumentState.Initial, ClinicalDocumentDecider.Evolve, ct);
                var lastVisit = document.PatientId is { Length: > 0 }
                    ? (await links.ConsultationsAsync(document.PatientId, ct)).Max(c => c.EndedAt)
                    : null;
                record = RetainedRecords.Of(document, lastVisit);
                break;
        }
        return new(now, regulation, record);
    }

    private async Task<PatientState?> PatientAsync(string? patientId, CancellationToken ct) =>
        string.IsNullOrEmpty(patientId) ? null : await LoadAsync<PatientState, IPatientEvent>("patient", patientId, PatientState.Initial, PatientDecider.Evolve, ct);

    private async Task<SignatureState?> SignatureAsync(string? signatureId, CancellationToken ct) =>
        string.IsNullOrEmpty(signatureId)
            ? null
            : await LoadAsync<SignatureState, ISignatureEvent>("signature", signatureId, SignatureState.Initial, SignatureDecider.Evolve, ct);

    /// <summary>The actor's practitioner record when they act as a clinician; null for everyone else.</summary>
    private async Task<PractitionerState?> ActingPractitionerAsync(Actor actor, CancellationToken ct) =>
        actor.Role is Role.Physician or Role.Pharmacist or Role.Nurse
            ? await LoadAsync<PractitionerState, IPractitionerEvent>("practitioner", actor.Id, PractitionerState.Initial, PractitionerDecider.Evolve, ct)
            : null;

    private async Task<TState> LoadAsync<TState, TEvent>(string type, string id, TState initial, Func<TState, TEvent, TState> evolve, CancellationToken ct)
        where TEvent : IDomainEvent =>
        string.IsNullOrEmpty(id) ? initial : (await store.LoadAsync(new StreamRef(type, id), initial, evolve, cancellationToken: ct)).State;
}
