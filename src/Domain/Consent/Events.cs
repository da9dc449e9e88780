namespace Records.Domain.Consent;

public interface IConsentEvent : IDomainEvent;

/// <param name="ByGuardian">True when the guardian (监护人) granted it for the patient.</param>
public sealed record ConsentGranted(
    string ConsentId, string PatientId, ConsentScope Scope, string FormVersion, string FormTextHash, string? ConsultationId,
    string GrantorId, bool ByGuardian, string? SignatureId, Instant GrantedAt, IReadOnlyList<Flag> Flags) : IConsentEvent;

public sealed record ConsentWithdrawn(string WithdrawnBy, string Reason, Instant WithdrawnAt) : IConsentEvent;
