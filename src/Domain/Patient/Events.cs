namespace Records.Domain.Patient;

using Records.Domain.Signature;

public interface IPatientEvent : IDomainEvent;

public sealed record PatientRegistered(
    string PatientId, string Name, Sex Sex, LocalDate DateOfBirth, string IdentityDocumentHash, string Contact, Instant RegisteredAt,
    IReadOnlyList<Flag> Flags) : IPatientEvent;

public sealed record GuardianAssigned(Guardian Guardian, Instant AssignedAt) : IPatientEvent;

public sealed record ContactChanged(string Contact, Instant ChangedAt) : IPatientEvent;

public sealed record PatientSigningKeyRegistered(SigningKey Key) : IPatientEvent;
