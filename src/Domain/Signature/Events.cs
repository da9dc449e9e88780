namespace Records.Domain.Signature;

public interface ISignatureEvent : IDomainEvent;

/// <summary>A verified signature. <paramref name="SignedAt"/> is the authoritative clock, <paramref name="ClaimedAt"/> the signer's.</summary>
public sealed record SignatureRecorded(
    string SignatureId, string SignerId, SubjectRef Subject, string SubjectHash, SignatureAlgorithm Algorithm, string KeyFingerprint,
    string Value, Instant SignedAt, Instant ClaimedAt, IReadOnlyList<Flag> Flags) : ISignatureEvent;
