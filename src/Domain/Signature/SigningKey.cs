namespace Records.Domain.Signature;

/// <summary>The signature algorithms accepted: China's national SM2 with SM3, or ECDSA on P-256 with SHA-256.</summary>
public enum SignatureAlgorithm
{
    Sm2WithSm3,
    EcdsaP256WithSha256,
}

/// <summary>
/// A signer's registered public key (SubjectPublicKeyInfo, base64), valid from its certificate's start until its end
/// or revocation. The fingerprint is the SHA-256 hex of the key bytes.
/// </summary>
public sealed record SigningKey(string Fingerprint, SignatureAlgorithm Algorithm, string PublicKey, Instant ValidFrom, Instant? ValidUntil)
{
    public bool IsValidAt(Instant at, Instant? revokedAt) =>
        at >= ValidFrom && (ValidUntil is null || at < ValidUntil) && (revokedAt is null || at < revokedAt);
}

/// <summary>A registered key and when it was revoked, if it was.</summary>
public sealed record RegisteredKey(SigningKey Key, Instant? RevokedAt)
{
    public bool IsValidAt(Instant at) => Key.IsValidAt(at, RevokedAt);
}
