namespace Records.Domain.Signature;

using System.Security.Cryptography;

/// <summary>
/// Checks a signature made with one algorithm. The domain ships ECDSA P-256; SM2 with SM3 is implemented by the
/// host (BouncyCastle) and passed in the signature context, keyed by its algorithm.
/// </summary>
public interface ISignatureVerifier
{
    SignatureAlgorithm Algorithm { get; }

    /// <summary>Whether <paramref name="publicKey"/> (SubjectPublicKeyInfo) is a key of this algorithm.</summary>
    bool IsValidPublicKey(byte[] publicKey);

    /// <summary>Whether <paramref name="signature"/> (DER) over <paramref name="message"/> was made by the key's owner.</summary>
    bool Verify(byte[] publicKey, byte[] message, byte[] signature);
}

/// <summary>ECDSA on NIST P-256 with SHA-256, DER-encoded signatures (RFC 3279), with the BCL.</summary>
public sealed class EcdsaP256Sha256Verifier : ISignatureVerifier
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    public SignatureAlgorithm Algorithm => SignatureAlgorithm.EcdsaP256WithSha256;

    public bool IsValidPublicKey(byte[] publicKey) => Import(publicKey) is { } key && Dispose(key);

    public bool Verify(byte[] publicKey, byte[] message, byte[] signature)
    {
        using var key = Import(publicKey);
        return key is not null && key.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    private static ECDsa? Import(byte[] publicKey)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(publicKey, out var read);
            if (read == publicKey.Length && key.ExportParameters(false).Curve.Oid.Value == P256Oid)
            {
                return key;
            }
        }
        catch (CryptographicException)
        {
            // Not a key at all: answered below as "not a P-256 key".
        }

        key.Dispose();
        return null;
    }

    private static bool Dispose(IDisposable key)
    {
        key.Dispose();
        return true;
    }
}

/// <summary>The verifiers a host makes available, one per algorithm.</summary>
public sealed class SignatureVerifiers
{
    private readonly Dictionary<SignatureAlgorithm, ISignatureVerifier> byAlgorithm;

    public SignatureVerifiers(params ISignatureVerifier[] verifiers) => byAlgorithm = verifiers.ToDictionary(v => v.Algorithm);

    /// <summary>ECDSA P-256 only; a host adds its SM2 verifier with <c>new SignatureVerifiers(new EcdsaP256Sha256Verifier(), sm2)</c>.</summary>
    public static SignatureVerifiers Default { get; } = new(new EcdsaP256Sha256Verifier());

    public ISignatureVerifier? For(SignatureAlgorithm algorithm) => byAlgorithm.GetValueOrDefault(algorithm);
}

/// <summary>Checks a key a person registers: a known algorithm, a parseable key, and the fingerprint that names it.</summary>
public static class SigningKeys
{
    public static Rejection? CheckRegistration(SigningKey key, IEnumerable<RegisteredKey> existing, SignatureVerifiers verifiers)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key.PublicKey);
        }
        catch (FormatException)
        {
            return Rejections.Invalid("signing_key.malformed", "The public key is not valid base64.");
        }

        if (CanonicalHash.Sha256Hex(bytes) != key.Fingerprint)
        {
            return Rejections.Invalid("signing_key.fingerprint_mismatch", "The fingerprint is not the SHA-256 of the public key.");
        }

        if (verifiers.For(key.Algorithm) is { } verifier && !verifier.IsValidPublicKey(bytes))
        {
            return Rejections.Invalid("signing_key.malformed", $"The public key is not a {key.Algorithm} key.");
        }

        if (key.ValidUntil is { } until && until <= key.ValidFrom)
        {
            return Rejections.Invalid("signing_key.invalid_period", "The key must be valid for some time.");
        }

        return existing.Any(k => k.Key.Fingerprint == key.Fingerprint)
            ? Rejections.Invalid("signing_key.already_registered", "This key is already registered.")
            : null;
    }
}
