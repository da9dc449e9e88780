namespace Records.Domain.Rules;

/// <summary>The numbers and lists a rule is configured with. Each rule id carries one of these types.</summary>
public abstract record RuleParameters;

public sealed record NoParameters : RuleParameters
{
    public static readonly NoParameters Instance = new();
}

public sealed record MinimumYears(int Years) : RuleParameters;

public sealed record AgeBelow(int Years) : RuleParameters;

public sealed record MaximumDays(int Days) : RuleParameters;

public sealed record MinimumTitle(Practitioner.TitleGrade Grade) : RuleParameters;

public sealed record MaximumDrugs(int Drugs) : RuleParameters;

/// <summary>At most <paramref name="MaxPoints"/> bad-practice points recorded in the last <paramref name="Years"/> years.</summary>
public sealed record RecentPointsLimit(int Years, int MaxPoints) : RuleParameters;

/// <summary>Days' supply: <paramref name="MaxDays"/> normally, <paramref name="EmergencyMaxDays"/> in an emergency.</summary>
public sealed record DaysSupplyLimit(int MaxDays, int EmergencyMaxDays) : RuleParameters;

/// <summary>A prescription is valid for <paramref name="ValidDays"/> calendar day(s); the doctor may extend it to at most <paramref name="MaxExtendedDays"/>.</summary>
public sealed record ValidityLimit(int ValidDays, int MaxExtendedDays) : RuleParameters;

public sealed record MinimumDuration(Duration Duration) : RuleParameters;

/// <summary>How far two times may differ.</summary>
public sealed record Tolerance(Duration Within) : RuleParameters;

/// <summary>How long after an occasion something must be done; <paramref name="AfterRescue"/> applies to emergency rescue notes.</summary>
public sealed record Deadline(Duration Within, Duration? AfterRescue = null) : RuleParameters;

/// <summary>The drug classes that may not be prescribed online.</summary>
public sealed record BannedDrugClasses(IReadOnlySet<Prescription.DrugClass> Classes) : RuleParameters;

/// <summary>
/// The first-visit rule, with an optional pilot that lets first visits online for some 诊疗科目 and ages
/// (e.g. Beijing's 2026 paediatric pilot).
/// </summary>
public sealed record FirstVisitPolicy(FirstVisitPilot? Pilot) : RuleParameters;

/// <summary>A first-visit pilot: subjects (诊疗科目) and the patient's age range in whole years, upper bound exclusive.</summary>
public sealed record FirstVisitPilot(IReadOnlySet<string> Subjects, int MinAgeYears, int MaxAgeYearsExclusive)
{
    public bool Covers(string subject, int ageYears) =>
        Subjects.Contains(subject) && ageYears >= MinAgeYears && ageYears < MaxAgeYearsExclusive;
}

/// <summary>How many years a prescription is kept, by its strictest drug class.</summary>
public sealed record PrescriptionRetention(int OrdinaryYears, int ToxicOrClass2PsychotropicYears, int NarcoticOrClass1PsychotropicYears) : RuleParameters
{
    public int YearsFor(Prescription.DrugClass strictest) => Group(strictest) switch
    {
        2 => NarcoticOrClass1PsychotropicYears,
        1 => ToxicOrClass2PsychotropicYears,
        _ => OrdinaryYears,
    };

    /// <summary>处方管理办法 Art. 50's groups, from ordinary (0) to narcotic and class-1 psychotropic (2).</summary>
    public static int Group(Prescription.DrugClass drugClass) => drugClass switch
    {
        Prescription.DrugClass.Narcotic or Prescription.DrugClass.PsychotropicClass1 => 2,
        Prescription.DrugClass.MedicalToxic or Prescription.DrugClass.PsychotropicClass2 => 1,
        _ => 0,
    };
}
