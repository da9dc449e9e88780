namespace Records.Domain.Practitioner;

using Records.Domain.Signature;

public interface IPractitionerEvent : IDomainEvent;

public sealed record PractitionerRegistered(
    string PractitionerId, string Name, Profession Profession, string Title, TitleGrade Grade, string NationalRegistryNumber,
    LocalDate PracticeSince,
    Instant RegisteredAt) : IPractitionerEvent;

public sealed record PractitionerEnrolled(string InstitutionId, EnrolmentKind Kind, IReadOnlyList<string> Scope, Instant EnrolledAt) : IPractitionerEvent;

public sealed record EnrolmentEnded(string InstitutionId, string Reason, Instant EndedAt) : IPractitionerEvent;

public sealed record RealNameVerified(string ConsultationId, string Method, Instant VerifiedAt) : IPractitionerEvent;

public sealed record TrainingRecorded(string Course, bool Passed, LocalDate CompletedOn) : IPractitionerEvent;

public sealed record PractitionerSuspended(string Reason, Instant SuspendedAt) : IPractitionerEvent;

public sealed record PractitionerReinstated(string Reason, Instant ReinstatedAt) : IPractitionerEvent;

public sealed record BadPracticePointsRecorded(int Points, string Reason, Instant RecordedAt) : IPractitionerEvent;

public sealed record SigningKeyRegistered(SigningKey Key) : IPractitionerEvent;

public sealed record SigningKeyRevoked(string Fingerprint, string Reason, Instant RevokedAt) : IPractitionerEvent;
