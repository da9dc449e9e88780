using NodaTime;
using Records.Domain;
using Records.Domain.AdverseEvent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Complaint;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Platform;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.Domain.Retention;
using Records.Domain.Rules;
using Records.Domain.Signature;
using Records.EventStore;
using Records.EventStore.Hashing;

namespace Records.Projections.Regulator;

/// <summary>
/// Judges each event against the rule book, with what the view remembers of the records it touches, and
/// turns breaches (its own checks and the flags the event carries) into findings. One partial file per
/// group of streams.
/// </summary>
internal sealed partial class Detector(Workspace ws, RegulatorOptions options)
{
    private EvidenceLink _event = null!;
    private Instant _at;
    private EventStore.Actor? _actor;
    private string? _actorInstitution;

    /// <summary>
    /// Who and where a finding is about; the patient by pseudonym only (the view's tables never hold a patient's id).
    /// <paramref name="Visit"/> is set when the event belongs to a consultation.
    /// </summary>
    private sealed record Scope(string Record, Place Place, string? PractitionerId, string? PatientRef, string? Visit = null);

    public async Task ApplyAsync(RecordedEvent recorded, IDomainEvent e, CancellationToken ct)
    {
        _event = new EvidenceLink(recorded.EventId, recorded.Sequence!.Value, recorded.EventType);
        _at = TimeOf(e) ?? (ws.Clock == Instant.MinValue ? recorded.RecordedAt : ws.Clock);
        _actor = recorded.Metadata.Actor;
        _actorInstitution = recorded.Metadata.InstitutionId;

        // Deadlines are judged by the log's own time: an obligation still open when a later event says the
        // time is past its deadline is a finding, with that event as the evidence of the time.
        ws.AdvanceClock(_at);
        foreach (var overdue in ws.Expire())
        {
            ws.Add(new Finding(overdue.Id, Indicators.Number(overdue.Indicator), overdue.Code, overdue.Message, overdue.RuleId, overdue.RuleSource,
                overdue.InstitutionId, overdue.PractitionerId, overdue.PatientRef, overdue.Due, [.. overdue.Evidence, _event]));
        }

        var id = RecordId(recorded);
        var scope = e switch
        {
            IInstitutionEvent x => await Institution(id, x, ct),
            IPatientEvent x => await Patient(id, x, ct),
            IConsentEvent x => await Consent(id, x, ct),
            IPractitionerEvent x => await Practitioner(id, x, ct),
            IConsultationEvent x => await Consultation(id, x, ct),
            IPrescriptionEvent x => await Prescription(id, x, ct),
            ISignatureEvent x => await Signature(id, x, ct),
            IClinicalDocumentEvent x => await Document(id, x, ct),
            IRecordAccessEvent x => await Access(id, x, ct),
            IPurgeEvent x => await Purge(id, x, ct),
            IAdverseEventEvent x => await AdverseEvent(id, x, recorded.Metadata.InstitutionId, ct),
            IPlatformEvent x => await Platform(id, x, recorded.Metadata.InstitutionId, ct),
            _ => null,
        };
        if (scope is null) return;

        // The rules a decider let through with a flag: the event carries the rule and its source.
        foreach (var flag in FlagsOf(e))
        {
            if (Indicators.ForRule(flag.RuleId) is { } indicator)
            {
                ws.Add(new Finding($"{flag.Code}:{SubjectOf(flag.Code, scope)}", indicator, flag.Code, flag.Message, flag.RuleId, flag.Source,
                    scope.Place.InstitutionId, scope.PractitionerId, scope.PatientRef, _at, [_event]));
            }
        }
    }

    /// <summary>
    /// The facts a batch will read for this event, so that they are loaded together (the workspace adds
    /// the records these facts reference). A key left out is still read, in a round trip of its own.
    /// </summary>
    public IEnumerable<string> KeysFor(RecordedEvent recorded, IDomainEvent e)
    {
        // A patient's facts are keyed by pseudonym, every other record's by its id.
        if (KindOf(e) is { } kind) yield return e is IPatientEvent ? $"patient:{Pseudonym(RecordId(recorded))}" : $"{kind}:{RecordId(recorded)}";
        if (recorded.Metadata.Actor is { } actor) yield return $"practitioner:{actor.Id}";
        if (recorded.Metadata.InstitutionId is { } institution) yield return $"institution:{institution}";
        switch (e)
        {
            case PrescriptionSigned s:
                yield return $"signature:{s.SignatureId}";
                break;
            case DocumentCreated d when d.ConsultationId is not null:
                yield return $"consultation:{d.ConsultationId}";
                break;
            case ConsentGranted g:
                yield return $"patient:{Pseudonym(g.PatientId)}";
                break;
            case PrescriptionDrafted p:
                yield return $"consultation:{p.ConsultationId}";
                yield return $"patient:{Pseudonym(p.PatientId)}";
                break;
            case ConsultationRequested c:
                yield return $"patient:{Pseudonym(c.PatientId)}";
                yield return $"institution:{c.InstitutionId}";
                break;
        }
    }

    /// <summary>
    /// When the event says it happened: the authoritative time its decider stamped, which imported events keep from
    /// their source. Null for the few that carry none (a signing key, a training record): they do not move the log's time.
    /// </summary>
    private static Instant? TimeOf(IDomainEvent e) => e switch
    {
        InstitutionRegistered x => x.RegisteredAt,
        SubjectsApproved x => x.ApprovedAt,
        ServiceTermsPublished x => x.PublishedAt,
        ConnectedToPlatform x => x.ConnectedAt,
        PatientRegistered x => x.RegisteredAt,
        GuardianAssigned x => x.AssignedAt,
        ContactChanged x => x.ChangedAt,
        ConsentGranted x => x.GrantedAt,
        ConsentWithdrawn x => x.WithdrawnAt,
        PractitionerRegistered x => x.RegisteredAt,
        PractitionerEnrolled x => x.EnrolledAt,
        EnrolmentEnded x => x.EndedAt,
        RealNameVerified x => x.VerifiedAt,
        PractitionerSuspended x => x.SuspendedAt,
        PractitionerReinstated x => x.ReinstatedAt,
        BadPracticePointsRecorded x => x.RecordedAt,
        SigningKeyRevoked x => x.RevokedAt,
        ConsultationRequested x => x.RequestedAt,
        ConsultationAccepted x => x.AcceptedAt,
        OfflineEvidenceAttached x => x.AttachedAt,
        ChildSafeguardsAttested x => x.AttestedAt,
        MessagePosted x => x.PostedAt,
        AiAssistanceDeclared x => x.DeclaredAt,
        DiagnosisRecorded x => x.RecordedAt,
        RiskAssessed x => x.AssessedAt,
        ConditionChangeFlagged x => x.FlaggedAt,
        ConsultationTerminated x => x.TerminatedAt,
        ConsultationCompleted x => x.CompletedAt,
        PrescriptionDrafted x => x.DraftedAt,
        PrescriptionSigned x => x.SignedAt,
        PrescriptionApproved x => x.ApprovedAt,
        PrescriptionRejected x => x.RejectedAt,
        PrescriptionHandedOff x => x.HandedOffAt,
        PrescriptionDispensed x => x.DispensedAt,
        PrescriptionDelivered x => x.DeliveredAt,
        PrescriptionCancelled x => x.CancelledAt,
        PrescriptionExpired x => x.ExpiredAt,
        SignatureRecorded x => x.SignedAt,
        DocumentCreated x => x.CreatedAt,
        DocumentAmended x => x.AmendedAt,
        DocumentSigned x => x.SignedAt,
        DocumentArchived x => x.ArchivedAt,
        DocumentSealed x => x.SealedAt,
        CompletedPartSealed x => x.SealedAt,
        DocumentUnsealed x => x.UnsealedAt,
        PatientDataRead x => x.ReadAt,
        BreakGlassReviewed x => x.ReviewedAt,
        AdverseEventRecorded x => x.RecordedAt,
        AdverseEventReported x => x.ReportedAt,
        AdverseEventInvestigated x => x.InvestigatedAt,
        AdverseEventClosed x => x.ClosedAt,
        ComplaintLodged x => x.LodgedAt,
        ComplaintReported x => x.ReportedAt,
        ComplaintInvestigated x => x.InvestigatedAt,
        ComplaintClosed x => x.ClosedAt,
        RecordPurged x => x.PurgedAt,
        UploadSent x => x.SentAt,
        UploadAcknowledged x => x.AcknowledgedAt,
        UploadFailed x => x.FailedAt,
        _ => null,
    };

    private static string? KindOf(IDomainEvent e) => e switch
    {
        IInstitutionEvent => "institution",
        IPatientEvent => "patient",
        IConsentEvent => "consent",
        IPractitionerEvent => "practitioner",
        IConsultationEvent => "consultation",
        IPrescriptionEvent => "prescription",
        ISignatureEvent => "signature",
        IClinicalDocumentEvent => "document",
        IRecordAccessEvent => "access",
        IAdverseEventEvent => "adverse_event",
        IPurgeEvent => "purge",
        IPlatformEvent => "platform",
        _ => null,
    };

    /// <summary>The record's id: a domain stream's id is <c>type-id</c> (see <see cref="Streams.StreamRef"/>).</summary>
    private static string RecordId(RecordedEvent recorded) =>
        recorded.StreamId.StartsWith(recorded.StreamType + "-", StringComparison.Ordinal) ? recorded.StreamId[(recorded.StreamType.Length + 1)..] : recorded.StreamId;

    private static IReadOnlyList<Flag> FlagsOf(IDomainEvent e) => e switch
    {
        ConsultationRequested x => x.Flags,
        ConsultationAccepted x => x.Flags,
        MessagePosted x => x.Flags,
        DiagnosisRecorded x => x.Flags,
        ConsultationCompleted x => x.Flags,
        PrescriptionDrafted x => x.Flags,
        PrescriptionSigned x => x.Flags,
        PrescriptionApproved x => x.Flags,
        PrescriptionRejected x => x.Flags,
        PrescriptionValidityExtended x => x.Flags,
        PrescriptionHandedOff x => x.Flags,
        PrescriptionDispensed x => x.Flags,
        PrescriptionDelivered x => x.Flags,
        SignatureRecorded x => x.Flags,
        DocumentCreated x => x.Flags,
        DocumentAmended x => x.Flags,
        DocumentSigned x => x.Flags,
        DocumentSealed x => x.Flags,
        CompletedPartSealed x => x.Flags,
        DocumentUnsealed x => x.Flags,
        ConsentGranted x => x.Flags,
        PatientRegistered x => x.Flags,
        PatientDataRead x => x.Flags,
        AdverseEventReported x => x.Flags,
        RecordPurged x => x.Flags,
        _ => [],
    };

    /// <summary>
    /// What a finding counts against: a breach about the visit itself (its first-visit status, consent, the doctor's
    /// qualification or verification) once per visit, whichever event showed it; any other once per record.
    /// </summary>
    private static string SubjectOf(string code, Scope scope) =>
        scope.Visit is { } visit && (code.StartsWith("visit.", StringComparison.Ordinal) || code.StartsWith("practitioner.", StringComparison.Ordinal))
            ? $"consultation:{visit}"
            : scope.Record;

    /// <summary>The event was appended by a service or AI principal (roles as <see cref="Streams.DomainStore"/> stores them).</summary>
    private bool ActorIsMachine => _actor?.Role == Streams.DomainStore.RoleName(Role.Service) || _actor?.Role == Streams.DomainStore.RoleName(Role.Ai);

    private string? Pseudonym(string? patientId) => patientId is null ? null : options.Pseudonyms.Of(patientId);

    private async Task<Place> PlaceOf(string? institutionId, CancellationToken ct)
    {
        if (institutionId is null) return new Place("", "");
        var institution = await ws.GetAsync<InstitutionFacts>("institution", institutionId, ct);
        return new Place(institution?.ProvinceCode ?? "", institutionId);
    }

    private Rule? Rule(Scope scope, string ruleId) => options.Rules.Find(ruleId, scope.Place, _at);

    /// <summary>Records a breach of <paramref name="ruleId"/> if the rule is in force where and when the event happened.</summary>
    private void Raise(Scope scope, string ruleId, string code, string message, params EvidenceLink?[] evidence)
    {
        if (Rule(scope, ruleId) is not { } rule) return;
        Raise(scope, rule, code, message, evidence);
    }

    private void Raise(Scope scope, Rule rule, string code, string message, params EvidenceLink?[] evidence) =>
        ws.Add(new Finding($"{code}:{SubjectOf(code, scope)}", Indicators.ForRule(rule.Id)!, code, message, rule.Id, rule.Source,
            scope.Place.InstitutionId, scope.PractitionerId, scope.PatientRef, _at, [.. evidence.OfType<EvidenceLink>().Append(_event).Distinct()]));

    /// <summary>
    /// Opens a deadline for <paramref name="ruleId"/>'s obligation, breached if the log's time passes <paramref name="due"/> first.
    /// The deadline is kept to the microsecond, as its table stores it: one judged from memory and one read back must agree.
    /// </summary>
    private void Expect(Scope scope, Rule rule, string code, string message, Instant due, params EvidenceLink?[] evidence) =>
        ws.Open(new Obligation($"{code}:{SubjectOf(code, scope)}", Indicators.ForRule(rule.Id)!.Number, code, message, rule.Id, rule.Source,
            scope.Place.InstitutionId, scope.PractitionerId, scope.PatientRef, EventHash.ToStoredPrecision(due), [.. evidence.OfType<EvidenceLink>(), _event]));

    /// <summary>
    /// Meets an obligation. A late fulfilment needs no check here: the event's own time moved the log's clock past
    /// the deadline before it was applied, which already made the obligation a finding.
    /// </summary>
    private void Fulfil(string code, Scope scope) => ws.Close($"{code}:{SubjectOf(code, scope)}");
}
