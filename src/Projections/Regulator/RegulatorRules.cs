using NodaTime;
using Records.Domain;
using Records.Domain.Rules;

namespace Records.Projections.Regulator;

/// <summary>Indicator 21's threshold: more distinct patients' prescriptions than this, read by one person in a China day, by a role not allowed to aggregate.</summary>
public sealed record AggregationLimit(int DistinctPatientsPerDay, IReadOnlySet<Role> AllowedRoles) : RuleParameters;

/// <summary>
/// Rules the regulator view checks that the domain's rule book does not hold (the domain never needs them to
/// decide a command). They are data like the others, added to the book the view is given.
/// </summary>
public static class RegulatorRules
{
    public const string PrescriptionBeforeDrug = "prescription.prescription_before_drug";
    public const string BreakGlassReview = "access.break_glass_review";
    public const string NoCommercialAggregation = "prescription.no_commercial_aggregation";
    public const string PlatformUploadOnTime = "platform.realtime_upload";

    public static IReadOnlyList<Rule> All { get; } =
    [
        new(PrescriptionBeforeDrug, "REGULATION.md Prescriptions: 先方后药 (no drug before the prescription exists)", Confidence.Secondary,
            Jurisdiction.National, RuleCatalog.From2018, RuleKind.Flags, NoParameters.Instance, "No drug is handed off, dispensed or delivered before the signed prescription."),
        new(BreakGlassReview, "ARCHITECTURE.md Security (break-glass reviewed later); GB/T 22239-2019 (review period is configuration)", Confidence.Unconfirmed,
            Jurisdiction.National, RuleCatalog.From2018, RuleKind.Flags, new Deadline(Duration.FromHours(72)), "A break-glass read is reviewed within the period."),
        new(NoCommercialAggregation, "REGULATION.md Prescriptions: no commercial aggregation (商业统方) (threshold is configuration)", Confidence.Unconfirmed,
            Jurisdiction.National, RuleCatalog.From2018, RuleKind.Flags,
            new AggregationLimit(50, new HashSet<Role> { Role.QualityManager, Role.Regulator }),
            "No bulk reading of prescriptions by doctor and drug by a role not allowed to."),
        new(PlatformUploadOnTime, "互联网诊疗监管细则 Art. 4–5; Guangdong notice: service data uploaded to the provincial platform in real time (the target is configuration)",
            Confidence.Unconfirmed, Jurisdiction.National, RuleCatalog.From2018, RuleKind.Flags, new Deadline(Duration.FromMinutes(10)),
            "What the platform must see is uploaded, in sequence, and acknowledged within the target of happening."),
    ];

    /// <summary>The domain's default book with the regulator's rules added.</summary>
    public static RuleBook DefaultBook { get; } = RuleCatalog.Default.With([.. All]);
}
