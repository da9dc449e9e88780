namespace Records.Domain.ClinicalDocument;

using System.Collections.Immutable;

/// <summary>One version of a document. Its <see cref="SigningHash"/> is what a signature on it covers.</summary>
public sealed record DocumentVersion(int Version, int? Replaces, string ContentHash, string AuthorId, Instant At, string? SignatureId)
{
    public string SigningHash(string documentId) => CanonicalHash.Of(new SignedDocumentVersion(documentId, Version, ContentHash));
}

/// <summary>The canonical form of a document version for signing.</summary>
public sealed record SignedDocumentVersion(string DocumentId, int Version, string ContentHash);

public sealed record ClinicalDocumentState(
    bool Created,
    string Id,
    string PatientId,
    DocumentKind Kind,
    Instant EncounterEndedAt,
    ImmutableList<DocumentVersion> Versions,
    bool Archived,
    Instant? SealedAt,
    ImmutableList<string> SealedParts)
{
    public static readonly ClinicalDocumentState Initial = new(false, "", "", DocumentKind.OutpatientRecord, default, [], false, null, []);

    public bool Sealed => SealedAt is not null;

    /// <summary>The latest version; null before the document is created.</summary>
    public DocumentVersion? Current => Versions.IsEmpty ? null : Versions[^1];
}
