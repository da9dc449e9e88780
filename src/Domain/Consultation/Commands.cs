namespace Records.Domain.Consultation;

/// <summary>The three kinds of online service.</summary>
public enum ConsultationKind
{
    /// <summary>在线咨询: health advice; no diagnosis, no prescription.</summary>
    OnlineAdvice,
    /// <summary>在线复诊: follow-up of a common or chronic disease already diagnosed offline.</summary>
    OnlineFollowUp,
    /// <summary>远程会诊: remote consultation between institutions, with the patient's written consent.</summary>
    RemoteConsultation,
}

/// <summary>The offline records a follow-up rests on.</summary>
public enum EvidenceKind
{
    OutpatientRecord,
    InpatientRecord,
    DischargeSummary,
    DiagnosisCertificate,
}

public enum MessageKind
{
    Text,
    Image,
    Audio,
    Video,
}

public enum RiskLevel
{
    Low,
    Moderate,
    High,
    Critical,
}

/// <summary>A diagnosis: ICD-10 code and its text.</summary>
public sealed record Diagnosis(string Icd10, string Text)
{
    /// <summary>The three-character ICD-10 category (E11 for E11.9): a follow-up may refine the subcategory of the offline diagnosis.</summary>
    public string Category() => Icd10.Length >= 3 ? Icd10[..3].ToUpperInvariant() : Icd10.ToUpperInvariant();
}

public interface IConsultationCommand : ICommand;

/// <param name="FirstVisit">The patient says this is their first visit for the complaint (首诊).</param>
public sealed record RequestConsultation(
    CommandMeta Meta, string ConsultationId, string PatientId, ConsultationKind Kind, string Subject, string Complaint, bool FirstVisit)
    : IConsultationCommand;

/// <summary>A doctor takes the consultation; they must be real-name verified for it.</summary>
public sealed record AcceptConsultation(CommandMeta Meta) : IConsultationCommand;

/// <summary>Attaches offline diagnosis evidence by document reference and content hash, with the diagnoses it shows.</summary>
public sealed record AttachOfflineEvidence(
    CommandMeta Meta, EvidenceKind Kind, string DocumentRef, string ContentHash, string IssuedBy, IReadOnlyList<Diagnosis> Diagnoses)
    : IConsultationCommand;

/// <summary>The doctor attests that a guardian and a relevant specialist are present (child under 6).</summary>
public sealed record AttestChildSafeguards(CommandMeta Meta, string GuardianId, string SpecialistId) : IConsultationCommand;

/// <summary>A message: text inline, or media by reference and content hash.</summary>
public sealed record PostMessage(CommandMeta Meta, string MessageId, MessageKind Kind, string? Text, string? ContentRef, string? ContentHash)
    : IConsultationCommand;

public sealed record DeclareAiAssistance(CommandMeta Meta, string Tool, string Purpose) : IConsultationCommand;

public sealed record RecordDiagnosis(CommandMeta Meta, Diagnosis Diagnosis) : IConsultationCommand;

public sealed record AssessRisk(CommandMeta Meta, RiskLevel Level, string Note) : IConsultationCommand;

/// <summary>The condition changed, or the doctor judges it a first visit: the online visit must stop.</summary>
public sealed record FlagConditionChange(CommandMeta Meta, string Note, bool JudgedFirstVisit) : IConsultationCommand;

/// <summary>Ends the online visit and refers the patient to a physical institution.</summary>
public sealed record TerminateAndRefer(CommandMeta Meta, string Reason, string ReferredTo) : IConsultationCommand;

/// <summary>
/// Completes the visit. A remote consultation names its <paramref name="Report"/>: the report's content hash and the
/// diagnosing doctor's e-signature over it.
/// </summary>
public sealed record CompleteConsultation(CommandMeta Meta, string Summary, SignedReport? Report = null) : IConsultationCommand;

/// <summary>A consultation report (会诊报告) by its canonical hash, and the id of the signature recorded over that hash.</summary>
public sealed record SignedReport(string ReportHash, string SignatureId);
