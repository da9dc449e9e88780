namespace Records.Domain.Consent;

/// <summary>What a consent covers.</summary>
public enum ConsentScope
{
    /// <summary>Online visits (在线诊疗) in general.</summary>
    OnlineVisit,
    /// <summary>Remote consultation (远程会诊): needs written (signed) consent.</summary>
    RemoteConsultation,
    DataSharing,
}

public interface IConsentCommand : ICommand;

/// <summary>
/// Grants consent on a versioned form, identified by the hash of its text, by the patient or their guardian (the actor).
/// A <paramref name="SignatureId"/> makes it written consent: the signature covers <see cref="ConsentTerms"/>'s canonical hash.
/// </summary>
public sealed record GrantConsent(
    CommandMeta Meta, string ConsentId, string PatientId, ConsentScope Scope, string FormVersion, string FormTextHash,
    string? ConsultationId, string? SignatureId) : IConsentCommand;

public sealed record WithdrawConsent(CommandMeta Meta, string Reason) : IConsentCommand;
