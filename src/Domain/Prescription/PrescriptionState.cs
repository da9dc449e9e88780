namespace Records.Domain.Prescription;

using Records.Domain.Consultation;

public enum PrescriptionStatus
{
    None,
    Drafted,
    /// <summary>Signed by the prescriber, awaiting pharmacist review.</summary>
    Signed,
    Approved,
    Rejected,
    HandedOff,
    Dispensed,
    Delivered,
    Cancelled,
    Expired,
}

/// <summary>What the prescriber and the reviewer sign: its canonical hash is <see cref="PrescriptionState.SigningHash"/>.</summary>
public sealed record PrescriptionContent(
    string PrescriptionId, string ConsultationId, string PatientId, string PrescriberId, IReadOnlyList<Diagnosis> Diagnoses,
    IReadOnlyList<PrescriptionLine> Lines, bool Emergency, string? LongerSupplyReason);

public sealed record PrescriptionState(
    PrescriptionStatus Status,
    string Id,
    string ConsultationId,
    string PatientId,
    string PrescriberId,
    string SigningHash,
    LocalDate WrittenOn,
    Instant? SignedAt,
    Instant? ValidUntil,
    string? ReviewerId,
    Instant? DrugsSelectedAt,
    Instant? PaidAt,
    DrugClass StrictestClass)
{
    public static readonly PrescriptionState Initial = new(PrescriptionStatus.None, "", "", "", "", "", default, null, null, null, null, null, DrugClass.Ordinary);

    /// <summary>Signed and not yet dispensed, cancelled or expired: the prescription can still be acted on.</summary>
    public bool IsLive => Status is PrescriptionStatus.Signed or PrescriptionStatus.Approved or PrescriptionStatus.HandedOff;
}
