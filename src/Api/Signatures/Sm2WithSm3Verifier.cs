using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Records.Domain.Signature;

namespace Records.Api.Signatures;

/// <summary>
/// SM2 signatures with SM3 (GB/T 32918, GM/T 0009), with BouncyCastle: a SubjectPublicKeyInfo key on
/// the sm2p256v1 curve, a DER signature, and the default signer id <c>1234567812345678</c> that
/// GM/T 0009 specifies when none is agreed.
/// </summary>
public sealed class Sm2WithSm3Verifier : ISignatureVerifier
{
    public SignatureAlgorithm Algorithm => SignatureAlgorithm.Sm2WithSm3;

    public bool IsValidPublicKey(byte[] publicKey) => Import(publicKey) is not null;

    public bool Verify(byte[] publicKey, byte[] message, byte[] signature)
    {
        if (Import(publicKey) is not { } key) return false;
        var signer = new SM2Signer();
        signer.Init(false, key);
        signer.BlockUpdate(message, 0, message.Length);
        try
        {
            return signer.VerifySignature(signature);
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException)
        {
            return false; // not a DER signature at all
        }
    }

    private static readonly X9ECParameters Sm2Curve = GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1);

    /// <summary>A key on sm2p256v1, named by its OID (as GM/T 0015 certificates carry it) or spelled out in explicit parameters.</summary>
    private static ECPublicKeyParameters? Import(byte[] publicKey)
    {
        try
        {
            var info = SubjectPublicKeyInfo.GetInstance(Asn1Object.FromByteArray(publicKey));
            if (!X9ObjectIdentifiers.IdECPublicKey.Equals(info.AlgorithmID.Algorithm)) return null;
            var curve = X962Parameters.GetInstance(info.AlgorithmID.Parameters);
            var isSm2 = curve.IsNamedCurve
                ? GMObjectIdentifiers.sm2p256v1.Equals(curve.Parameters)
                : X9ECParameters.GetInstance(curve.Parameters) is { } x9 && x9.Curve.Equals(Sm2Curve.Curve) && x9.G.Equals(Sm2Curve.G) && x9.N.Equals(Sm2Curve.N);
            return isSm2 ? PublicKeyFactory.CreateKey(info) as ECPublicKeyParameters : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException or SecurityUtilityException or InvalidOperationException)
        {
            return null; // not a key: answered as "not an SM2 key"
        }
    }
}
