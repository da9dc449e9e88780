namespace Records.Domain.Practitioner;

using Records.Domain.Signature;

public enum Profession
{
    Physician,
    Pharmacist,
    Nurse,
}

/// <summary>Professional title grade: 初级, 中级, 副高, 正高.</summary>
public enum TitleGrade
{
    Junior,
    Intermediate,
    AssociateSenior,
    Senior,
}

/// <summary>How a practitioner is attached to an Internet hospital: 注册 (registered) or 备案 (filed, e.g. multi-site practice).</summary>
public enum EnrolmentKind
{
    Registered,
    Filed,
}

public interface IPractitionerCommand : ICommand;

/// <summary>Records a practitioner as listed in the national electronic registration system.</summary>
/// <param name="PracticeSince">When independent practice (or, for pharmacists, dispensing) began: years of practice count from it.</param>
public sealed record RegisterPractitioner(
    CommandMeta Meta, string PractitionerId, string Name, Profession Profession, string Title, TitleGrade Grade,
    string NationalRegistryNumber, LocalDate PracticeSince) : IPractitionerCommand;

/// <summary>Registers or files the practitioner with an Internet hospital, with a practice scope (执业范围) of subjects.</summary>
public sealed record Enrol(CommandMeta Meta, string InstitutionId, EnrolmentKind Kind, IReadOnlyList<string> Scope) : IPractitionerCommand;

public sealed record EndEnrolment(CommandMeta Meta, string InstitutionId, string Reason) : IPractitionerCommand;

/// <summary>Real-name verification (face recognition) before a consultation; issued by the verification service.</summary>
public sealed record VerifyRealName(CommandMeta Meta, string ConsultationId, string Method) : IPractitionerCommand;

public sealed record RecordTraining(CommandMeta Meta, string Course, bool Passed, LocalDate CompletedOn) : IPractitionerCommand;

public sealed record Suspend(CommandMeta Meta, string Reason) : IPractitionerCommand;

public sealed record Reinstate(CommandMeta Meta, string Reason) : IPractitionerCommand;

/// <summary>Bad-practice points (不良执业行为积分).</summary>
public sealed record RecordBadPracticePoints(CommandMeta Meta, int Points, string Reason) : IPractitionerCommand;

public sealed record RegisterSigningKey(CommandMeta Meta, SigningKey Key) : IPractitionerCommand;

public sealed record RevokeSigningKey(CommandMeta Meta, string Fingerprint, string Reason) : IPractitionerCommand;
