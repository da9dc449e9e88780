namespace Records.Domain.Tests.Support;

using System.Security.Cryptography;
using NodaTime;
using Records.Domain.Signature;

/// <summary>A real ECDSA P-256 key pair, as a signer's device would hold it.</summary>
public sealed class TestKey : IDisposable
{
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestKey(Instant? validFrom = null, Instant? validUntil = null)
    {
        var spki = key.ExportSubjectPublicKeyInfo();
        Registered = new SigningKey(Convert.ToHexStringLower(SHA256.HashData(spki)), SignatureAlgorithm.EcdsaP256WithSha256,
            Convert.ToBase64String(spki), validFrom ?? World.T0.Minus(Duration.FromDays(365)), validUntil);
    }

    public SigningKey Registered { get; }

    /// <summary>Signs the 32 bytes of a canonical hash; the DER signature, base64.</summary>
    public string Sign(string hashHex) =>
        Convert.ToBase64String(key.SignData(Convert.FromHexString(hashHex), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => key.Dispose();
}
