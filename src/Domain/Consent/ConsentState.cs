namespace Records.Domain.Consent;

public enum ConsentStatus
{
    None,
    InForce,
    Withdrawn,
}

/// <summary>What a signature on a consent covers: its canonical hash is the signed subject.</summary>
public sealed record ConsentTerms(string ConsentId, string PatientId, ConsentScope Scope, string FormVersion, string FormTextHash, string? ConsultationId);

public sealed record ConsentState(
    ConsentStatus Status, string Id, string PatientId, ConsentScope Scope, string? ConsultationId, string? SignatureId, Instant GrantedAt)
{
    public static readonly ConsentState Initial = new(ConsentStatus.None, "", "", ConsentScope.OnlineVisit, null, null, default);

    /// <summary>Consent in force for <paramref name="scope"/>, written or not.</summary>
    public bool IsInForceFor(string patientId, ConsentScope scope) => Status == ConsentStatus.InForce && PatientId == patientId && Scope == scope;

    /// <summary>Written consent in force for <paramref name="scope"/>, for this consultation or for any.</summary>
    public bool IsWrittenConsentFor(string patientId, ConsentScope scope, string consultationId) =>
        IsInForceFor(patientId, scope) && SignatureId is not null
        && (ConsultationId is null || ConsultationId == consultationId);
}
