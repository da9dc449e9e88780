namespace Records.Domain.Prescription;

using Records.Domain.Consultation;

public interface IPrescriptionEvent : IDomainEvent;

/// <param name="SigningHash">The canonical hash of <see cref="PrescriptionContent"/>: what prescriber and reviewer sign.</param>
public sealed record PrescriptionDrafted(
    string PrescriptionId, string ConsultationId, string PatientId, string PrescriberId, IReadOnlyList<Diagnosis> Diagnoses,
    IReadOnlyList<PrescriptionLine> Lines, bool Emergency, string? LongerSupplyReason, string SigningHash, Instant DraftedAt,
    IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

/// <param name="ValidUntil">End of validity: the day written, in China time.</param>
public sealed record PrescriptionSigned(string SignatureId, Instant SignedAt, Instant? ValidUntil, IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

public sealed record PrescriptionApproved(string ReviewerId, string SignatureId, Instant ApprovedAt, IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

public sealed record PrescriptionRejected(string ReviewerId, IReadOnlyList<string> Reasons, Instant RejectedAt, IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

public sealed record PrescriptionValidityExtended(int TotalDays, string Reason, Instant ValidUntil, IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

public sealed record PrescriptionHandedOff(string PharmacyId, Instant HandedOffAt, IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

public sealed record DrugsSelected(string PharmacyId, string SelectedBy, Instant SelectedAt, IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

public sealed record PaymentTaken(decimal Amount, string PaymentRef, string TakenBy, Instant TakenAt, IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

public sealed record PrescriptionDispensed(string DispenserId, Instant DispensedAt, IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

public sealed record PrescriptionDelivered(string TrackingRef, Instant DeliveredAt, IReadOnlyList<Flag> Flags) : IPrescriptionEvent;

public sealed record PrescriptionCancelled(string CancelledBy, string Reason, Instant CancelledAt) : IPrescriptionEvent;

public sealed record PrescriptionExpired(Instant ExpiredAt) : IPrescriptionEvent;
