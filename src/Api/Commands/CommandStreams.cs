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
using Records.Domain.Signature;

namespace Records.Api.Commands;

/// <summary>
/// Which stream a command acts on. The stream type is the prefix of its events' type names
/// (<c>prescription.signed.v1</c> lives in <c>prescription-…</c>); the record id is the one a
/// creating command names, or the one the caller gives for a command on an existing record.
/// </summary>
public static class CommandStreams
{
    public static string TypeOf(ICommand command) => command switch
    {
        IInstitutionCommand => "institution",
        IPractitionerCommand => "practitioner",
        IPatientCommand => "patient",
        IConsentCommand => "consent",
        IConsultationCommand => "consultation",
        IPrescriptionCommand => "prescription",
        IClinicalDocumentCommand => "document",
        ISignatureCommand => "signature",
        IAdverseEventCommand => "adverse_event",
        IComplaintCommand => "complaint",
        IRecordAccessCommand => "record_access",
        IPurgeCommand => "purge",
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };

    /// <summary>The id a creating command gives its new record; null for a command on an existing record.</summary>
    public static string? CreatedId(ICommand command) => command switch
    {
        RegisterInstitution c => c.InstitutionId,
        RegisterPractitioner c => c.PractitionerId,
        RegisterPatient c => c.PatientId,
        GrantConsent c => c.ConsentId,
        RequestConsultation c => c.ConsultationId,
        DraftPrescription c => c.PrescriptionId,
        CreateDocument c => c.DocumentId,
        RecordSignature c => c.SignatureId,
        RecordAdverseEvent c => c.AdverseEventId,
        LodgeComplaint c => c.ComplaintId,
        RecordRead c => c.AccessId,
        PurgeRecord c => c.PurgeId,
        _ => null,
    };
}
