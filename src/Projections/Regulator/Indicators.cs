using Records.Domain.Rules;

namespace Records.Projections.Regulator;

/// <summary>One row of the numbered indicator table of REGULATION.md.</summary>
public sealed record Indicator(int Number, string Name);

/// <summary>
/// The 21 indicators of REGULATION.md, and which indicator a rule's breach counts towards (for the flags
/// that events carry and for the regulator's own checks).
/// </summary>
public static class Indicators
{
    public static IReadOnlyList<Indicator> All { get; } =
    [
        new(1, "online first visit"),
        new(2, "follow-up for another diagnosis"),
        new(3, "did not stop when the condition changed"),
        new(4, "dispensed before pharmacist approval"),
        new(5, "drug before prescription"),
        new(6, "banned drug class online"),
        new(7, "child under 6 without guardian and specialist"),
        new(8, "prescription not by the visit's doctor, or machine-generated"),
        new(9, "doctor not real-name verified for the consultation"),
        new(10, "doctor not qualified"),
        new(11, "quantity or validity over the limit"),
        new(12, "review was a formality"),
        new(13, "missing consent"),
        new(14, "EMR late or unsigned"),
        new(15, "edit after archive or seal"),
        new(16, "retention breach"),
        new(17, "regulator feed late or missing"),
        new(18, "adverse event or data leak not reported"),
        new(19, "reply later than the published limit"),
        new(20, "access without a care relationship; break-glass not reviewed"),
        new(21, "commercial prescription aggregation"),
    ];

    private static readonly Dictionary<string, int> ByRule = new()
    {
        [RuleIds.NoOnlineFirstVisit] = 1,
        [RuleIds.FollowUpNeedsOfflineEvidence] = 1,
        [RuleIds.FollowUpSameDiagnosis] = 2,
        [RuleIds.StopOnConditionChange] = 3,
        [RuleIds.ReviewBeforeDispensing] = 4,
        [RegulatorRules.PrescriptionBeforeDrug] = 5,
        [RuleIds.NoControlledDrugsOnline] = 6,
        [RuleIds.ChildGuardianAndSpecialist] = 7,
        [RuleIds.PrescribedByVisitDoctor] = 8,
        [RuleIds.NoMachineClinician] = 8,
        [RuleIds.ReliableSignature] = 8,
        [RuleIds.AuthoritativeSigningTime] = 8,
        [RuleIds.PractitionerRealNameVerified] = 9,
        [RuleIds.PractitionerRegisteredHere] = 10,
        [RuleIds.PractitionerWithinScope] = 10,
        [RuleIds.PractitionerMinPracticeYears] = 10,
        [RuleIds.PractitionerNotSuspended] = 10,
        [RuleIds.PractitionerMinTitle] = 10,
        [RuleIds.WithinApprovedSubjects] = 10,
        [RuleIds.MaxDrugs] = 11,
        [RuleIds.DaysSupply] = 11,
        [RuleIds.LongTermMaxDays] = 11,
        [RuleIds.Validity] = 11,
        [RuleIds.ReviewerNotPrescriber] = 12,
        [RuleIds.ReviewerExperiencedPharmacist] = 12,
        [RuleIds.ReviewTooFast] = 12,
        [RuleIds.RemoteConsultationWrittenConsent] = 13,
        [RuleIds.InformedConsentForOnlineVisit] = 13,
        [RuleIds.LateSignature] = 14,
        [RuleIds.NoEditWhenArchived] = 15,
        [RuleIds.NoEditWhenSealed] = 15,
        [RuleIds.SealWithBothParties] = 15,
        [RuleIds.UnsealWhenResolvedOrExpired] = 15,
        [RuleIds.RetentionOutpatientRecord] = 16,
        [RuleIds.RetentionPrescription] = 16,
        [RuleIds.RetentionConsultationMedia] = 16,
        [RegulatorRules.PlatformUploadOnTime] = 17,
        [RuleIds.IncidentReportDeadline] = 18,
        [RuleIds.ReplyWithinPublishedLimit] = 19,
        [RuleIds.BreakGlassReason] = 20,
        [RuleIds.NoCareRelationship] = 20,
        [RegulatorRules.BreakGlassReview] = 20,
        [RegulatorRules.NoCommercialAggregation] = 21,
    };

    public static Indicator Number(int number) =>
        number is >= 1 and <= 21 ? All[number - 1] : throw new RegulatorQueryException("regulator.unknown_indicator", $"There is no indicator {number}; they are numbered 1 to 21.");

    /// <summary>The indicator a breach of <paramref name="ruleId"/> counts towards; null for a rule no indicator watches.</summary>
    public static Indicator? ForRule(string ruleId) => ByRule.TryGetValue(ruleId, out var n) ? All[n - 1] : null;
}
