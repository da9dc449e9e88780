namespace Records.Domain.Practitioner;

using System.Collections.Immutable;
using Records.Domain.Signature;

public sealed record Enrolment(EnrolmentKind Kind, ImmutableHashSet<string> Scope);

public sealed record Training(string Course, bool Passed, LocalDate CompletedOn);

/// <summary>Bad-practice points (不良执业行为记分) as recorded, kept with their time because some rules look back a few years.</summary>
public sealed record PointsRecord(int Points, Instant RecordedAt);

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
    ImmutableList<PointsRecord> PointsRecords,
    ImmutableList<RegisteredKey> Keys)
{
    public static readonly PractitionerState Initial = new(
        false, "", "", Profession.Physician, "", TitleGrade.Junior, default, ImmutableDictionary<string, Enrolment>.Empty, [], [], false, [], []);

    public int BadPracticePoints => PointsRecords.Sum(r => r.Points);

    public int PracticeYearsAt(Instant at) => ChinaTime.YearsSince(PracticeSince, at);

    /// <summary>The points recorded in the <paramref name="years"/> years (China calendar) up to <paramref name="at"/>.</summary>
    public int PointsWithinYearsBefore(int years, Instant at)
    {
        var since = ChinaTime.StartOf(ChinaTime.DateOf(at).PlusYears(-years));
        return PointsRecords.Where(r => r.RecordedAt >= since && r.RecordedAt <= at).Sum(r => r.Points);
    }
}
