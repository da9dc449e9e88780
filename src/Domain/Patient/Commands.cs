namespace Records.Domain.Patient;

using Records.Domain.Signature;

public enum Sex
{
    Female,
    Male,
    Unknown,
}

/// <summary>A guardian (监护人): who they are and how they relate to the patient.</summary>
public sealed record Guardian(string GuardianId, string Name, string Relationship);

public interface IPatientCommand : ICommand;

/// <summary>Real-name registration (实名注册). The identity document is kept only as a hash.</summary>
public sealed record RegisterPatient(
    CommandMeta Meta, string PatientId, string Name, Sex Sex, LocalDate DateOfBirth, string IdentityDocumentHash, string Contact) : IPatientCommand;

public sealed record AssignGuardian(CommandMeta Meta, Guardian Guardian) : IPatientCommand;

public sealed record ChangeContact(CommandMeta Meta, string Contact) : IPatientCommand;

public sealed record RegisterPatientSigningKey(CommandMeta Meta, SigningKey Key) : IPatientCommand;
