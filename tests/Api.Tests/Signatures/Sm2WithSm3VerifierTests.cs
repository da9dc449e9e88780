using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Records.Api.Signatures;
using NodaTime;
using Records.Domain;
using Records.Domain.Patient;
using Records.Domain.Serialization;
using Records.Domain.Signature;
using static Records.Api.Tests.WriteSideDatabase;

namespace Records.Api.Tests.Signatures;

/// <summary>An SM2 key pair made with BouncyCastle, as a signer's device would make it: the public key as SubjectPublicKeyInfo, DER signatures.</summary>
public sealed class Sm2KeyPair
{
    private readonly AsymmetricCipherKeyPair _pair;

    public Sm2KeyPair()
    {
        var curve = GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1);
        var domain = new ECNamedDomainParameters(GMObjectIdentifiers.sm2p256v1, curve);
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(domain, new SecureRandom()));
        _pair = generator.GenerateKeyPair();
        // Named by the curve's OID, as GM/T 0015 certificates carry it.
        PublicKey = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, GMObjectIdentifiers.sm2p256v1),
            ((ECPublicKeyParameters)_pair.Public).Q.GetEncoded(false)).GetDerEncoded();
        ExplicitPublicKey = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(_pair.Public).GetDerEncoded();
    }

    /// <summary>SubjectPublicKeyInfo, DER.</summary>
    public byte[] PublicKey { get; }

    /// <summary>The same key with the curve spelled out in explicit parameters.</summary>
    public byte[] ExplicitPublicKey { get; }

    public byte[] Sign(byte[] message)
    {
        var signer = new SM2Signer();
        signer.Init(true, new ParametersWithRandom(_pair.Private, new SecureRandom()));
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }
}

public sealed class Sm2WithSm3VerifierTests
{
    private readonly Sm2WithSm3Verifier _verifier = new();
    private readonly Sm2KeyPair _key = new();
    private readonly byte[] _hash = SHA256.HashData("处方 rx-1 v1"u8);

    [Fact]
    public void A_signature_by_the_key_over_the_message_verifies()
    {
        Assert.True(_verifier.IsValidPublicKey(_key.PublicKey));
        Assert.True(_verifier.Verify(_key.PublicKey, _hash, _key.Sign(_hash)));
        Assert.True(_verifier.Verify(_key.ExplicitPublicKey, _hash, _key.Sign(_hash)));
    }

    [Fact]
    public void A_changed_message_another_key_or_a_broken_signature_does_not_verify()
    {
        var signature = _key.Sign(_hash);
        var changed = (byte[])_hash.Clone();
        changed[0] ^= 1;

        Assert.False(_verifier.Verify(_key.PublicKey, changed, signature));
        Assert.False(_verifier.Verify(new Sm2KeyPair().PublicKey, _hash, signature));
        Assert.False(_verifier.Verify(_key.PublicKey, _hash, signature[..^3]));
        Assert.False(_verifier.Verify(_key.PublicKey, _hash, [1, 2, 3]));
    }

    [Fact]
    public void Keys_of_other_curves_and_garbage_are_not_SM2_keys()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.False(_verifier.IsValidPublicKey(p256.ExportSubjectPublicKeyInfo()));
        Assert.False(_verifier.IsValidPublicKey([0x30, 0x03, 0x01, 0x01, 0x00]));
        Assert.False(_verifier.Verify(p256.ExportSubjectPublicKeyInfo(), _hash, _key.Sign(_hash)));
    }
}

/// <summary>An SM2 signature recorded through the write side, checked against the signer's registered key.</summary>
public sealed class Sm2SignatureCommandTests(WriteSideDatabase db) : IClassFixture<WriteSideDatabase>
{
    [Fact]
    public async Task A_patient_records_an_SM2_signature_with_their_registered_key_and_a_forged_one_is_refused()
    {
        var patient = "pt-" + Guid.NewGuid().ToString("N")[..8];
        var key = new Sm2KeyPair();
        var fingerprint = CanonicalHash.Sha256Hex(key.PublicKey);
        Assert.True((await db.Commands.ExecuteAsync(patient, new RegisterPatient(Meta("admin-1", Role.Administrator),
            patient, "李四", Sex.Female, new LocalDate(1990, 5, 1), new string('b', 64), "+86"))).IsAccepted);
        var registered = await db.Commands.ExecuteAsync(patient, new RegisterPatientSigningKey(
            Meta(patient, Role.Patient), new SigningKey(fingerprint,
                SignatureAlgorithm.Sm2WithSm3, Convert.ToBase64String(key.PublicKey), Instant.FromUtc(2020, 1, 1, 0, 0), null)));
        Assert.True(registered.IsAccepted, registered.Rejection?.Message);
        var subjectHash = Convert.ToHexStringLower(SHA256.HashData("consent terms"u8));

        RecordSignature Sign(string id, byte[] value) => new(Meta(patient, Role.Patient), id,
            new SubjectRef("consent", "consent-x", 1), subjectHash, SignatureAlgorithm.Sm2WithSm3, fingerprint, Convert.ToBase64String(value));
        var good = await db.Commands.ExecuteAsync("sig-good-" + patient, Sign("sig-good-" + patient, key.Sign(Convert.FromHexString(subjectHash))));
        var forged = await db.Commands.ExecuteAsync("sig-forged-" + patient, Sign("sig-forged-" + patient, new Sm2KeyPair().Sign(Convert.FromHexString(subjectHash))));

        Assert.True(good.IsAccepted, good.Rejection?.Message);
        Assert.Equal("signature.invalid", forged.Rejection!.Code);
    }
}
