namespace Records.Domain.Serialization;

using System.Text.RegularExpressions;
using AE = Records.Domain.AdverseEvent;
using CD = Records.Domain.ClinicalDocument;
using CN = Records.Domain.Consent;
using CO = Records.Domain.Complaint;
using CS = Records.Domain.Consultation;
using IN = Records.Domain.Institution;
using PA = Records.Domain.Patient;
using PL = Records.Domain.Platform;
using PR = Records.Domain.Practitioner;
using RA = Records.Domain.RecordAccess;
using RT = Records.Domain.Retention;
using RX = Records.Domain.Prescription;
using SG = Records.Domain.Signature;

/// <summary>
/// Every event type with its stable, versioned name (<c>stream.fact.vN</c>). A name, once stored, never changes
/// meaning: a changed shape gets a new version and both stay registered.
/// </summary>
public sealed partial class EventTypeRegistry
{
    private readonly Dictionary<string, Type> byName = [];
    private readonly Dictionary<Type, string> byType = [];

    public EventTypeRegistry(IEnumerable<KeyValuePair<string, Type>> entries)
    {
        foreach (var (name, type) in entries)
        {
            if (!NamePattern().IsMatch(name))
            {
                throw new ArgumentException($"Event type name {name} is not of the form stream.fact.v1.", nameof(entries));
            }

            if (!typeof(IDomainEvent).IsAssignableFrom(type) || type.IsAbstract)
            {
                throw new ArgumentException($"{type.Name} is not a concrete domain event.", nameof(entries));
            }

            if (!byName.TryAdd(name, type) || !byType.TryAdd(type, name))
            {
                throw new ArgumentException($"{name} or {type.Name} is registered twice.", nameof(entries));
            }
        }
    }

    public static EventTypeRegistry Default { get; } = new(new Dictionary<string, Type>
    {
        ["institution.registered.v1"] = typeof(IN.InstitutionRegistered),
        ["institution.subjects_approved.v1"] = typeof(IN.SubjectsApproved),
        ["institution.service_terms_published.v1"] = typeof(IN.ServiceTermsPublished),
        ["institution.connected_to_platform.v1"] = typeof(IN.ConnectedToPlatform),

        ["practitioner.registered.v1"] = typeof(PR.PractitionerRegistered),
        ["practitioner.enrolled.v1"] = typeof(PR.PractitionerEnrolled),
        ["practitioner.enrolment_ended.v1"] = typeof(PR.EnrolmentEnded),
        ["practitioner.real_name_verified.v1"] = typeof(PR.RealNameVerified),
        ["practitioner.training_recorded.v1"] = typeof(PR.TrainingRecorded),
        ["practitioner.suspended.v1"] = typeof(PR.PractitionerSuspended),
        ["practitioner.reinstated.v1"] = typeof(PR.PractitionerReinstated),
        ["practitioner.bad_practice_points_recorded.v1"] = typeof(PR.BadPracticePointsRecorded),
        ["practitioner.signing_key_registered.v1"] = typeof(PR.SigningKeyRegistered),
        ["practitioner.signing_key_revoked.v1"] = typeof(PR.SigningKeyRevoked),

        ["patient.registered.v1"] = typeof(PA.PatientRegistered),
        ["patient.guardian_assigned.v1"] = typeof(PA.GuardianAssigned),
        ["patient.contact_changed.v1"] = typeof(PA.ContactChanged),
        ["patient.signing_key_registered.v1"] = typeof(PA.PatientSigningKeyRegistered),

        ["consent.granted.v1"] = typeof(CN.ConsentGranted),
        ["consent.withdrawn.v1"] = typeof(CN.ConsentWithdrawn),

        ["consultation.requested.v1"] = typeof(CS.ConsultationRequested),
        ["consultation.accepted.v1"] = typeof(CS.ConsultationAccepted),
        ["consultation.offline_evidence_attached.v1"] = typeof(CS.OfflineEvidenceAttached),
        ["consultation.child_safeguards_attested.v1"] = typeof(CS.ChildSafeguardsAttested),
        ["consultation.message_posted.v1"] = typeof(CS.MessagePosted),
        ["consultation.ai_assistance_declared.v1"] = typeof(CS.AiAssistanceDeclared),
        ["consultation.diagnosis_recorded.v1"] = typeof(CS.DiagnosisRecorded),
        ["consultation.risk_assessed.v1"] = typeof(CS.RiskAssessed),
        ["consultation.condition_change_flagged.v1"] = typeof(CS.ConditionChangeFlagged),
        ["consultation.terminated.v1"] = typeof(CS.ConsultationTerminated),
        ["consultation.completed.v1"] = typeof(CS.ConsultationCompleted),
        ["consultation.report_signed.v1"] = typeof(CS.ConsultationReportSigned),

        ["prescription.drafted.v1"] = typeof(RX.PrescriptionDrafted),
        ["prescription.signed.v1"] = typeof(RX.PrescriptionSigned),
        ["prescription.approved.v1"] = typeof(RX.PrescriptionApproved),
        ["prescription.rejected.v1"] = typeof(RX.PrescriptionRejected),
        ["prescription.validity_extended.v1"] = typeof(RX.PrescriptionValidityExtended),
        ["prescription.handed_off.v1"] = typeof(RX.PrescriptionHandedOff),
        ["prescription.drugs_selected.v1"] = typeof(RX.DrugsSelected),
        ["prescription.payment_taken.v1"] = typeof(RX.PaymentTaken),
        ["prescription.dispensed.v1"] = typeof(RX.PrescriptionDispensed),
        ["prescription.delivered.v1"] = typeof(RX.PrescriptionDelivered),
        ["prescription.cancelled.v1"] = typeof(RX.PrescriptionCancelled),
        ["prescription.expired.v1"] = typeof(RX.PrescriptionExpired),

        ["document.created.v1"] = typeof(CD.DocumentCreated),
        ["document.amended.v1"] = typeof(CD.DocumentAmended),
        ["document.signed.v1"] = typeof(CD.DocumentSigned),
        ["document.archived.v1"] = typeof(CD.DocumentArchived),
        ["document.sealed.v1"] = typeof(CD.DocumentSealed),
        ["document.completed_part_sealed.v1"] = typeof(CD.CompletedPartSealed),
        ["document.unsealed.v1"] = typeof(CD.DocumentUnsealed),

        ["signature.recorded.v1"] = typeof(SG.SignatureRecorded),

        ["adverse_event.recorded.v1"] = typeof(AE.AdverseEventRecorded),
        ["adverse_event.reported.v1"] = typeof(AE.AdverseEventReported),
        ["adverse_event.investigated.v1"] = typeof(AE.AdverseEventInvestigated),
        ["adverse_event.closed.v1"] = typeof(AE.AdverseEventClosed),

        ["complaint.lodged.v1"] = typeof(CO.ComplaintLodged),
        ["complaint.reported.v1"] = typeof(CO.ComplaintReported),
        ["complaint.investigated.v1"] = typeof(CO.ComplaintInvestigated),
        ["complaint.closed.v1"] = typeof(CO.ComplaintClosed),

        ["purge.record_purged.v1"] = typeof(RT.RecordPurged),

        ["record_access.read.v1"] = typeof(RA.PatientDataRead),
        ["record_access.break_glass_reviewed.v1"] = typeof(RA.BreakGlassReviewed),

        ["platform.upload_sent.v1"] = typeof(PL.UploadSent),
        ["platform.upload_acknowledged.v1"] = typeof(PL.UploadAcknowledged),
        ["platform.upload_failed.v1"] = typeof(PL.UploadFailed),
    });

    public IReadOnlyDictionary<string, Type> Types => byName;

    public string NameOf(Type eventType) =>
        byType.TryGetValue(eventType, out var name) ? name : throw new UnknownEventTypeException($"{eventType.Name} has no registered event type name.");

    public Type TypeOf(string name) =>
        byName.TryGetValue(name, out var type) ? type : throw new UnknownEventTypeException($"No event type is registered as {name}.");

    [GeneratedRegex(@"^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*\.v[1-9][0-9]*$")]
    private static partial Regex NamePattern();
}
