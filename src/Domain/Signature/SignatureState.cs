namespace Records.Domain.Signature;

public sealed record SignatureState(
    bool Recorded, string Id, string SignerId, SubjectRef? Subject, string SubjectHash, SignatureAlgorithm Algorithm, Instant SignedAt)
{
    public static readonly SignatureState Initial = new(false, "", "", null, "", SignatureAlgorithm.EcdsaP256WithSha256, default);
}

/// <summary>How other streams check that a signature they are told about covers what they hold.</summary>
public static class SignatureCheck
{
    /// <summary>
    /// 中华人民共和国电子签名法 Art. 13: a reliable signature is the signer's own and any later change to the content
    /// is detectable, so it must be recorded, by <paramref name="signerIds"/>, over exactly <paramref name="hash"/>.
    /// </summary>
    public static void Covers(Findings findings, SignatureState? signature, string signatureId, string hash, params string[] signerIds)
    {
        if (signature is not { Recorded: true } s || s.Id != signatureId)
        {
            findings.Breach(RuleIds.ReliableSignature, "signature.not_recorded", "That signature has not been recorded and verified.");
        }
        else if (!signerIds.Contains(s.SignerId))
        {
            findings.Breach(RuleIds.ReliableSignature, "signature.wrong_signer", "That signature was made by someone else.");
        }
        else if (s.SubjectHash != hash)
        {
            findings.Breach(RuleIds.ReliableSignature, "signature.wrong_content", "That signature covers different content than this version.");
        }
    }
}
