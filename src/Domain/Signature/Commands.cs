namespace Records.Domain.Signature;

/// <summary>The record version a signature covers: its stream type, stream id and version in the stream.</summary>
public sealed record SubjectRef(string StreamType, string StreamId, long Version);

public interface ISignatureCommand : ICommand;

/// <summary>
/// Records an e-signature by the acting person over <paramref name="SubjectHash"/>, the canonical hash (SHA-256 hex)
/// of a record version. The signed message is the 32 bytes of that hash; <paramref name="Value"/> is the DER
/// signature, base64.
/// </summary>
public sealed record RecordSignature(
    CommandMeta Meta, string SignatureId, SubjectRef Subject, string SubjectHash, SignatureAlgorithm Algorithm, string KeyFingerprint,
    string Value) : ISignatureCommand;
