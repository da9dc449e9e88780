namespace Records.Domain.Consultation;

public interface IConsultationEvent : IDomainEvent;

/// <param name="FirstVisitPilot">The rule source of the pilot that allowed this first visit online, if one did.</param>
public sealed record ConsultationRequested(
    string ConsultationId, string PatientId, string InstitutionId, ConsultationKind Kind, string Subject, string Complaint, bool FirstVisit,
    string? FirstVisitPilot, string RequestedBy, Instant RequestedAt, IReadOnlyList<Flag> Flags) : IConsultationEvent;

public sealed record ConsultationAccepted(string DoctorId, Instant AcceptedAt, IReadOnlyList<Flag> Flags) : IConsultationEvent;

public sealed record OfflineEvidenceAttached(
    EvidenceKind Kind, string DocumentRef, string ContentHash, string IssuedBy, IReadOnlyList<Diagnosis> Diagnoses, string AttachedBy,
    Instant AttachedAt) : IConsultationEvent;

public sealed record ChildSafeguardsAttested(string GuardianId, string SpecialistId, string AttestedBy, Instant AttestedAt) : IConsultationEvent;

public sealed record MessagePosted(
    string MessageId, string SenderId, MessageKind Kind, string? Text, string? ContentRef, string? ContentHash, Instant PostedAt,
    IReadOnlyList<Flag> Flags) : IConsultationEvent;

public sealed record AiAssistanceDeclared(string Tool, string Purpose, string DeclaredBy, Instant DeclaredAt) : IConsultationEvent;

public sealed record DiagnosisRecorded(Diagnosis Diagnosis, string DoctorId, Instant RecordedAt, IReadOnlyList<Flag> Flags) : IConsultationEvent;

public sealed record RiskAssessed(RiskLevel Level, string Note, string AssessedBy, Instant AssessedAt) : IConsultationEvent;

public sealed record ConditionChangeFlagged(string Note, bool JudgedFirstVisit, string FlaggedBy, Instant FlaggedAt) : IConsultationEvent;

public sealed record ConsultationTerminated(string Reason, string ReferredTo, string TerminatedBy, Instant TerminatedAt) : IConsultationEvent;

/// <summary>The consultation report, signed by the diagnosing doctor; recorded just before a remote consultation completes.</summary>
public sealed record ConsultationReportSigned(string ReportHash, string SignatureId, string SignerId, Instant SignedAt) : IConsultationEvent;

public sealed record ConsultationCompleted(string Summary, string CompletedBy, Instant CompletedAt, IReadOnlyList<Flag> Flags) : IConsultationEvent;
