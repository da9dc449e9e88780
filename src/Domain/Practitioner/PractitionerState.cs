namespace Records.Domain.Practitioner;

using System.Collections.Immutable;
using Records.Domain.Signature;

public sealed record Enrolment(EnrolmentKind Kind, ImmutableHashSet<string> Scope);

public sealed record Training(string Course, bool Passed, LocalDate CompletedOn);

/// <summary>A practitioner as the other streams need to know them: qualification, verification, suspension, keys.</summary>
public sealed record PractitionerState(
    bool Registered,
    string Id,
    string Name,
    Profession Profession,
    string Title,
    TitleGrade Grade,
    LocalDate PracticeSince,
    ImmutableDictionary<string, Enrolment> Enrolments,
    ImmutableHashSet<string> VerifiedForConsultations,
    ImmutableList<Training> Trainings,
    bool Suspended,
    int BadPracticePoints,
    ImmutableList<RegisteredKey> Keys)
{
    public static readonly PractitionerState Initial = new(
        false, "", "", Profession.Physician, "", TitleGrade.Junior, default, ImmutableDictionary<string, Enrolment>.Empty, [], [], false, 0, []);

    public int PracticeYearsAt(Instant at) => ChinaTime.YearsSince(PracticeSince, at);
}
