namespace Records.Domain.Tests.Support;

using Records.Domain.Signature;

/// <summary>Makes verified signature states by running the signature decider with a real key.</summary>
public static class Signatures
{
    public static SignatureState Signed(Actor signer, string hash, string id = "sig-1", string stream = "prescription", string streamId = "rx-1")
    {
        using var key = new TestKey();
        var decision = SignatureDecider.Decide(
            new RecordSignature(World.By(signer), id, new SubjectRef(stream, streamId, 1), hash, SignatureAlgorithm.EcdsaP256WithSha256,
                key.Registered.Fingerprint, key.Sign(hash)),
            SignatureState.Initial,
            new SignatureContext(World.T0, World.Regulation(), [new RegisteredKey(key.Registered, null)], SignatureVerifiers.Default));
        return decision.Accepted().Aggregate(SignatureState.Initial, SignatureDecider.Evolve);
    }
}
