namespace Records.Domain.ClinicalDocument;

public interface IClinicalDocumentEvent : IDomainEvent;

public sealed record DocumentCreated(
    string DocumentId, string PatientId, string? ConsultationId, DocumentKind Kind, string Title, string ContentHash, string AuthorId,
    Instant EncounterEndedAt, Instant CreatedAt, IReadOnlyList<Flag> Flags) : IClinicalDocumentEvent;

/// <param name="Replaces">The version this one replaces.</param>
public sealed record DocumentAmended(int Version, int Replaces, string ContentHash, string Reason, string AuthorId, Instant AmendedAt,
    IReadOnlyList<Flag> Flags) : IClinicalDocumentEvent;

public sealed record DocumentSigned(int Version, string SignatureId, string SignerId, Instant SignedAt, IReadOnlyList<Flag> Flags) : IClinicalDocumentEvent;

public sealed record DocumentArchived(string ArchivedBy, Instant ArchivedAt) : IClinicalDocumentEvent;

public sealed record DocumentSealed(
    string DisputeRef, string SealingListHash, string InstitutionSignatureId, string PatientSideSignatureId, Instant SealedAt,
    IReadOnlyList<Flag> Flags) : IClinicalDocumentEvent;

public sealed record CompletedPartSealed(string ContentHash, string Description, Instant SealedAt, IReadOnlyList<Flag> Flags) : IClinicalDocumentEvent;

public sealed record DocumentUnsealed(UnsealGround Ground, string? ResolutionRef, Instant UnsealedAt, IReadOnlyList<Flag> Flags) : IClinicalDocumentEvent;
