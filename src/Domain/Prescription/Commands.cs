namespace Records.Domain.Prescription;

using Records.Domain.Consultation;

/// <summary>The regulatory class of a drug. All but <see cref="Ordinary"/> are specially controlled (特殊管理药品).</summary>
public enum DrugClass
{
    Ordinary,
    /// <summary>麻醉药品.</summary>
    Narcotic,
    /// <summary>第一类精神药品.</summary>
    PsychotropicClass1,
    /// <summary>第二类精神药品.</summary>
    PsychotropicClass2,
    /// <summary>医疗用毒性药品.</summary>
    MedicalToxic,
    /// <summary>放射性药品.</summary>
    Radioactive,
    /// <summary>药品类易制毒化学品.</summary>
    PrecursorChemical,
}

/// <summary>One drug on a prescription: form, strength, quantity, dosage, and days' supply.</summary>
public sealed record PrescriptionLine(
    string Drug, DrugClass Class, string Form, string Strength, decimal Quantity, string Unit, string Dosage, int DaysSupply);

public interface IPrescriptionCommand : ICommand;

/// <param name="LongerSupplyReason">The written reason for a days' supply over the limit (chronic, elderly, special case).</param>
public sealed record DraftPrescription(
    CommandMeta Meta, string PrescriptionId, string ConsultationId, IReadOnlyList<Diagnosis> Diagnoses, IReadOnlyList<PrescriptionLine> Lines,
    bool Emergency, string? LongerSupplyReason) : IPrescriptionCommand;

/// <summary>The prescriber signs; the signature covers <see cref="PrescriptionState.SigningHash"/>.</summary>
public sealed record SignPrescription(CommandMeta Meta, string SignatureId) : IPrescriptionCommand;

/// <summary>A pharmacist approves after review, signing the same hash.</summary>
public sealed record ApprovePrescription(CommandMeta Meta, string SignatureId) : IPrescriptionCommand;

public sealed record RejectPrescription(CommandMeta Meta, IReadOnlyList<string> Reasons) : IPrescriptionCommand;

/// <summary>The prescriber extends validity to <paramref name="TotalDays"/> calendar days from the day written.</summary>
public sealed record ExtendValidity(CommandMeta Meta, int TotalDays, string Reason) : IPrescriptionCommand;

/// <summary>Hand-off (流转) to a pharmacy.</summary>
public sealed record HandOffPrescription(CommandMeta Meta, string PharmacyId) : IPrescriptionCommand;

/// <summary>The pharmacy picks the prescribed drugs from its stock for this prescription (选药).</summary>
public sealed record SelectDrugs(CommandMeta Meta, string PharmacyId) : IPrescriptionCommand;

/// <summary>The patient pays for the prescription; <paramref name="PaymentRef"/> is the payment provider's reference.</summary>
public sealed record TakePayment(CommandMeta Meta, decimal Amount, string PaymentRef) : IPrescriptionCommand;

public sealed record DispensePrescription(CommandMeta Meta) : IPrescriptionCommand;

public sealed record DeliverPrescription(CommandMeta Meta, string TrackingRef) : IPrescriptionCommand;

public sealed record CancelPrescription(CommandMeta Meta, string Reason) : IPrescriptionCommand;

/// <summary>Issued by the host's scheduler once the validity has passed.</summary>
public sealed record ExpirePrescription(CommandMeta Meta) : IPrescriptionCommand;
