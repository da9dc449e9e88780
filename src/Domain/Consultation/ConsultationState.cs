namespace Records.Domain.Consultation;

using System.Collections.Immutable;

public enum ConsultationStatus
{
    None,
    Requested,
    InProgress,
    /// <summary>Condition change flagged: only termination and referral may follow.</summary>
    MustStop,
    Terminated,
    Completed,
}

public sealed record OfflineEvidence(EvidenceKind Kind, string DocumentRef, string ContentHash, IReadOnlyList<Diagnosis> Diagnoses);

public sealed record ConsultationState(
    ConsultationStatus Status,
    string Id,
    string PatientId,
    string InstitutionId,
    ConsultationKind Kind,
    string Subject,
    bool FirstVisit,
    string? FirstVisitPilot,
    Instant RequestedAt,
    string? DoctorId,
    bool DoctorReplied,
    ImmutableList<OfflineEvidence> Evidence,
    ImmutableList<Diagnosis> Diagnoses,
    bool ChildSafeguardsAttested,
    ImmutableList<string> AiTools,
    int Messages,
    RiskLevel? Risk,
    string? ReportSignatureId)
{
    public static readonly ConsultationState Initial = new(
        ConsultationStatus.None, "", "", "", ConsultationKind.OnlineAdvice, "", false, null, default, null, false, [], [], false, [], 0, null, null);

    /// <summary>The ICD-10 categories the offline evidence shows.</summary>
    public IEnumerable<string> EvidencedCategories => Evidence.SelectMany(e => e.Diagnoses).Select(d => d.Category()).Distinct();

    public bool IsStopped => Status is ConsultationStatus.MustStop or ConsultationStatus.Terminated;
}
