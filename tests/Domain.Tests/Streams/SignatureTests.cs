namespace Records.Domain.Tests.Streams;

using System.Security.Cryptography;
using Records.Domain.Signature;
using static Records.Domain.Signature.SignatureDecider;

public class SignatureTests
{
    private static readonly string Content = Hash("prescription rx-1 v1");

    private static RecordSignature Command(TestKey key, string? signedHash = null, string? claimedHash = null, SignatureAlgorithm algorithm = SignatureAlgorithm.EcdsaP256WithSha256) =>
        new(By(Doctor, T0.Minus(Duration.FromSeconds(3))), "sig-1", new SubjectRef("prescription", "rx-1", 1), claimedHash ?? Content, algorithm,
            key.Registered.Fingerprint, key.Sign(signedHash ?? Content));

    private static SignatureContext Ctx(IEnumerable<RegisteredKey> keys, SignatureVerifiers? verifiers = null, Instant? now = null) =>
        new(now ?? T0, Regulation(), keys.ToList(), verifiers ?? SignatureVerifiers.Default);

    [Fact]
    public void A_real_ECDSA_P256_signature_with_the_signers_registered_key_is_recorded_at_the_authoritative_time()
    {
        using var key = new TestKey();
        var recorded = Decide(Command(key), SignatureState.Initial, Ctx([new RegisteredKey(key.Registered, null)])).Accepted().One<SignatureRecorded>();

        Assert.Equal((Doctor.Id, Content, T0, T0.Minus(Duration.FromSeconds(3))), (recorded.SignerId, recorded.SubjectHash, recorded.SignedAt, recorded.ClaimedAt));
        var state = Evolve(SignatureState.Initial, recorded);
        Assert.True(state.Recorded);
        Decide(Command(key), state, Ctx([new RegisteredKey(key.Registered, null)])).Rejected("signature.already_exists");
    }

    // 电子病历应用管理规范（试行）: time from an authoritative source; a claimed time far from it is flagged.
    [Fact]
    public void Emr_norms_a_claimed_signing_time_far_from_the_authoritative_clock_is_flagged()
    {
        using var key = new TestKey();
        var keys = new[] { new RegisteredKey(key.Registered, null) };
        Assert.Empty(Decide(Command(key), SignatureState.Initial, Ctx(keys)).Accepted().One<SignatureRecorded>().Flags);

        var backdated = Command(key) with { Meta = By(Doctor, T0.Minus(Duration.FromHours(3))) };
        var flagged = Decide(backdated, SignatureState.Initial, Ctx(keys)).Accepted().One<SignatureRecorded>();
        Assert.Equal(("signature.claimed_time_skewed", RuleIds.AuthoritativeSigningTime), (flagged.Flags[0].Code, flagged.Flags[0].RuleId));
        Assert.Equal(T0, flagged.SignedAt);
    }

    // 中华人民共和国电子签名法 Art. 13: any later change to the content is detectable.
    [Fact]
    public void E_signature_law_a_signature_over_other_content_is_refused()
    {
        using var key = new TestKey();
        Decide(Command(key, signedHash: Hash("tampered")), SignatureState.Initial, Ctx([new RegisteredKey(key.Registered, null)]))
            .Rejected("signature.invalid", RuleIds.ReliableSignature);
    }

    // 中华人民共和国电子签名法 Art. 13: the creation data belongs to the signer alone.
    [Fact]
    public void E_signature_law_a_signature_made_with_someone_elses_key_is_refused()
    {
        using var registered = new TestKey();
        using var other = new TestKey();
        var forged = Command(other) with { KeyFingerprint = registered.Registered.Fingerprint };
        Decide(forged, SignatureState.Initial, Ctx([new RegisteredKey(registered.Registered, null)])).Rejected("signature.invalid", RuleIds.ReliableSignature);
        Decide(Command(other), SignatureState.Initial, Ctx([new RegisteredKey(registered.Registered, null)])).Rejected("signature.unknown_key", RuleIds.ReliableSignature);
        Decide(forged with { Value = "not base64!" }, SignatureState.Initial, Ctx([new RegisteredKey(registered.Registered, null)]))
            .Rejected("signature.invalid", RuleIds.ReliableSignature);
    }

    // REGULATION.md indicator 8: certificate not valid at signing.
    [Fact]
    public void A_key_revoked_expired_or_not_yet_valid_at_signing_is_refused()
    {
        using var key = new TestKey(validFrom: T0.Minus(Duration.FromDays(10)), validUntil: T0.Plus(Duration.FromDays(10)));
        Decide(Command(key), SignatureState.Initial, Ctx([new RegisteredKey(key.Registered, T0.Minus(Duration.FromHours(1)))]))
            .Rejected("signature.key_not_valid", RuleIds.ReliableSignature);
        Decide(Command(key), SignatureState.Initial, Ctx([new RegisteredKey(key.Registered, null)], now: T0.Plus(Duration.FromDays(10))))
            .Rejected("signature.key_not_valid", RuleIds.ReliableSignature);
        Decide(Command(key), SignatureState.Initial, Ctx([new RegisteredKey(key.Registered, null)], now: T0.Minus(Duration.FromDays(11))))
            .Rejected("signature.key_not_valid", RuleIds.ReliableSignature);
        Decide(Command(key), SignatureState.Initial, Ctx([new RegisteredKey(key.Registered, T0.Plus(Duration.FromHours(1)))])).Accepted();
    }

    [Fact]
    public void Malformed_input_is_refused_with_a_clear_code()
    {
        using var key = new TestKey();
        Decide(Command(key, claimedHash: "ABC"), SignatureState.Initial, Ctx([new RegisteredKey(key.Registered, null)])).Rejected("signature.invalid_subject_hash");
        Decide(Command(key, algorithm: SignatureAlgorithm.Sm2WithSm3), SignatureState.Initial, Ctx([new RegisteredKey(key.Registered, null)]))
            .Rejected("signature.algorithm_unavailable");
    }

    /// <summary>SM2 is verified by the host through the port; the domain hands it the key, the 32 hash bytes and the signature.</summary>
    [Fact]
    public void An_SM2_signature_is_checked_by_the_verifier_the_host_provides()
    {
        var sm2Key = new SigningKey(Hash("sm2 public key"), SignatureAlgorithm.Sm2WithSm3, Convert.ToBase64String("sm2 public key"u8.ToArray()), T0.Minus(Duration.FromDays(1)), null);
        var sm2 = new RecordingVerifier(SignatureAlgorithm.Sm2WithSm3, answer: true);
        var command = new RecordSignature(By(Doctor), "sig-1", new SubjectRef("prescription", "rx-1", 1), Content, SignatureAlgorithm.Sm2WithSm3,
            sm2Key.Fingerprint, Convert.ToBase64String([1, 2, 3]));

        Decide(command, SignatureState.Initial, Ctx([new RegisteredKey(sm2Key, null)], new SignatureVerifiers(new EcdsaP256Sha256Verifier(), sm2))).Accepted();
        Assert.Equal("sm2 public key"u8.ToArray(), sm2.LastCall.Key);
        Assert.Equal(Convert.FromHexString(Content), sm2.LastCall.Message);
        Assert.Equal([1, 2, 3], sm2.LastCall.Signature);

        var refusing = new RecordingVerifier(SignatureAlgorithm.Sm2WithSm3, answer: false);
        Decide(command, SignatureState.Initial, Ctx([new RegisteredKey(sm2Key, null)], new SignatureVerifiers(refusing)))
            .Rejected("signature.invalid", RuleIds.ReliableSignature);
    }

    [Fact]
    public void The_P256_verifier_accepts_only_P256_keys()
    {
        var verifier = new EcdsaP256Sha256Verifier();
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.True(verifier.IsValidPublicKey(p256.ExportSubjectPublicKeyInfo()));
        Assert.False(verifier.IsValidPublicKey(p384.ExportSubjectPublicKeyInfo()));
        Assert.False(verifier.IsValidPublicKey([1, 2, 3]));
    }

    private sealed class RecordingVerifier(SignatureAlgorithm algorithm, bool answer) : ISignatureVerifier
    {
        public (byte[] Key, byte[] Message, byte[] Signature) LastCall { get; private set; }

        public SignatureAlgorithm Algorithm => algorithm;

        public bool IsValidPublicKey(byte[] publicKey) => true;

        public bool Verify(byte[] publicKey, byte[] message, byte[] signature)
        {
            LastCall = (publicKey, message, signature);
            return answer;
        }
    }
}
