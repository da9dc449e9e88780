namespace Records.Domain.Signature;

/// <summary>What a signature decision needs: the signer's registered keys (from their practitioner or patient stream) and the verifiers.</summary>
public sealed record SignatureContext(Instant Now, Regulation Regulation, IReadOnlyList<RegisteredKey> SignerKeys, SignatureVerifiers Verifiers);

/// <summary>Records e-signatures after checking them against the signer's registered key.</summary>
public static class SignatureDecider
{
    private const string Stream = "signature";

    public static Decision<ISignatureEvent> Decide(ISignatureCommand command, SignatureState state, SignatureContext context) => command switch
    {
        RecordSignature c when state.Recorded => Rejections.AlreadyExists(Stream),
        RecordSignature c => Record(c, context),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };

    public static SignatureState Evolve(SignatureState state, ISignatureEvent @event) => @event switch
    {
        SignatureRecorded e => new SignatureState(true, e.SignatureId, e.SignerId, e.Subject, e.SubjectHash, e.Algorithm, e.SignedAt),
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };

    private static Decision<ISignatureEvent> Record(RecordSignature c, SignatureContext context)
    {
        if (!CanonicalHash.IsSha256Hex(c.SubjectHash))
        {
            return Rejections.Invalid("signature.invalid_subject_hash", "What is signed must be a SHA-256 hash in lower-case hex.");
        }

        if (context.Verifiers.For(c.Algorithm) is not { } verifier)
        {
            return Rejections.Invalid("signature.algorithm_unavailable", $"Signatures with {c.Algorithm} cannot be checked here.");
        }

        // 中华人民共和国电子签名法 Art. 13: the signature creation data belongs to the signer alone, so it must
        // verify with a key registered to the signer and valid at the (authoritative) signing time.
        var findings = new Findings(context.Regulation, context.Now);
        var key = context.SignerKeys.FirstOrDefault(k => k.Key.Fingerprint == c.KeyFingerprint);
        if (key is null || key.Key.Algorithm != c.Algorithm)
        {
            findings.Breach(RuleIds.ReliableSignature, "signature.unknown_key", "The key used is not registered to the signer for this algorithm.");
        }
        else if (!key.IsValidAt(context.Now))
        {
            findings.Breach(RuleIds.ReliableSignature, "signature.key_not_valid", "The signer's key or certificate is not valid now (expired, revoked or not yet valid).");
        }
        else if (!Verifies(verifier, key.Key, c))
        {
            findings.Breach(RuleIds.ReliableSignature, "signature.invalid", "The signature does not match the content and the signer's key.");
        }

        // 电子病历应用管理规范（试行）: the signing time is the authoritative one; a claimed time far from it is shown.
        if (findings.Rule(RuleIds.AuthoritativeSigningTime) is { } clock
            && Duration.Max(context.Now - c.Meta.ClaimedAt, c.Meta.ClaimedAt - context.Now) > clock.Parameter<Tolerance>().Within)
        {
            findings.Breach(clock, "signature.claimed_time_skewed", $"The signer's device claimed {c.Meta.ClaimedAt}, the authoritative time is {context.Now}.");
        }

        return findings.Decide<ISignatureEvent>(flags => new SignatureRecorded(
            c.SignatureId, c.Meta.Actor.Id, c.Subject, c.SubjectHash, c.Algorithm, c.KeyFingerprint, c.Value, context.Now, c.Meta.ClaimedAt, flags));
    }

    private static bool Verifies(ISignatureVerifier verifier, SigningKey key, RecordSignature c)
    {
        try
        {
            return verifier.Verify(Convert.FromBase64String(key.PublicKey), Convert.FromHexString(c.SubjectHash), Convert.FromBase64String(c.Value));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
