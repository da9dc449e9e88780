namespace Records.Domain.ClinicalDocument;

public enum DocumentKind
{
    /// <summary>门诊病历: online-visit records are outpatient records.</summary>
    OutpatientRecord,
    ConsultationNote,
    /// <summary>抢救记录: to be completed within 6 hours after the rescue.</summary>
    RescueNote,
    RemoteConsultationReport,
    DischargeSummary,
}

/// <summary>Why a seal is lifted.</summary>
public enum UnsealGround
{
    DisputeResolved,
    /// <summary>Three years passed without a claim.</summary>
    NoClaimWithinPeriod,
}

public interface IClinicalDocumentCommand : ICommand;

/// <summary>Creates version 1 of an EMR document; the content itself is stored elsewhere, identified by its SHA-256 hash.</summary>
/// <param name="EncounterEndedAt">When the encounter (or rescue) the document records ended: signing deadlines count from it.</param>
public sealed record CreateDocument(
    CommandMeta Meta, string DocumentId, string PatientId, string? ConsultationId, DocumentKind Kind, string Title, string ContentHash,
    Instant EncounterEndedAt) : IClinicalDocumentCommand;

/// <summary>A new version that replaces the current one, with the reason; nothing is overwritten.</summary>
public sealed record AmendDocument(CommandMeta Meta, string ContentHash, string Reason) : IClinicalDocumentCommand;

/// <summary>Signs the current version: the signature covers <see cref="DocumentVersion.SigningHash"/>.</summary>
public sealed record SignDocument(CommandMeta Meta, string SignatureId) : IClinicalDocumentCommand;

public sealed record ArchiveDocument(CommandMeta Meta) : IClinicalDocumentCommand;

/// <summary>
/// Seals (封存) the document for a dispute: both parties sign the sealing list (identified by its hash), one signature
/// from the institution's side and one from the patient or their guardian.
/// </summary>
public sealed record SealDocument(
    CommandMeta Meta, string DisputeRef, string SealingListHash, string InstitutionSignatureId, string PatientSideSignatureId) : IClinicalDocumentCommand;

/// <summary>Seals a part completed after sealing (later parts are sealed as they are completed).</summary>
public sealed record SealCompletedPart(CommandMeta Meta, string ContentHash, string Description) : IClinicalDocumentCommand;

public sealed record UnsealDocument(CommandMeta Meta, UnsealGround Ground, string? ResolutionRef) : IClinicalDocumentCommand;
