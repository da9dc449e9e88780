namespace Records.Domain.Rules;

using Records.Domain.Practitioner;
using Records.Domain.Prescription;

/// <summary>
/// The rules of REGULATION.md as configured data: national rules in force from the 2018 measures on, and the
/// province variants we know of. A host builds its own book with <see cref="RuleBook.With"/> for an
/// institution's rules or a new pilot.
/// </summary>
public static class RuleCatalog
{
    public const string Beijing = "110000";
    public const string Ningxia = "640000";

    private const string DiagnosisMeasures = "互联网诊疗管理办法（试行）（国卫医发〔2018〕25号）";
    private const string HospitalMeasures = "互联网医院管理办法（试行）（国卫医发〔2018〕25号）";
    private const string TelemedicineNorms = "远程医疗服务管理规范（试行）（国卫医发〔2018〕25号）";
    private const string SupervisionRules = "互联网诊疗监管细则（试行）（国卫办医发〔2022〕2号）";
    private const string PrescriptionMeasures = "处方管理办法（2007）";
    private const string ReviewNorms = "医疗机构处方审核规范（2018）";
    private const string EmrNorms = "电子病历应用管理规范（试行）（国卫办医发〔2017〕8号）";
    private const string DisputeRegulation = "医疗纠纷预防和处理条例（2018）";
    private const string NingxiaStandard = "宁夏互联网医院监管标准";

    /// <summary>The national rules apply from the day the 2018 measures were issued.</summary>
    public static readonly Interval From2018 = new(Instant.FromUtc(2018, 7, 16, 16, 0), null);

    /// <summary>Beijing's paediatric online first-visit pilot runs through 2026 (dates and scope unconfirmed: configuration).</summary>
    public static readonly Interval Beijing2026 = new(ChinaTime.StartOf(new LocalDate(2026, 1, 1)), ChinaTime.StartOf(new LocalDate(2027, 1, 1)));

    public static RuleBook Default { get; } = new(
    [
        National(RuleIds.NoOnlineFirstVisit, $"{DiagnosisMeasures} Art. 16", Confidence.Verified, RuleKind.Stops,
            new FirstVisitPolicy(null), "No Internet diagnosis for a first visit (不得对首诊患者开展互联网诊疗活动)."),
        National(RuleIds.FollowUpNeedsOfflineEvidence, $"{DiagnosisMeasures} Art. 16", Confidence.Secondary, RuleKind.Stops,
            NoParameters.Instance, "A follow-up (复诊) needs the offline diagnosis records the patient provides."),
        National(RuleIds.FollowUpSameDiagnosis, $"{DiagnosisMeasures} Art. 16", Confidence.Secondary, RuleKind.Stops,
            NoParameters.Instance, "A follow-up treats the same diagnosis as made offline."),
        National(RuleIds.StopOnConditionChange, $"{NingxiaStandard} 应急处置; {DiagnosisMeasures} Art. 16", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "When the condition changes or it is a first visit, the online visit stops and the patient is referred."),
        National(RuleIds.RemoteConsultationWrittenConsent, $"{TelemedicineNorms}; {NingxiaStandard}", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "Remote consultation (远程会诊) needs the patient's informed written consent."),
        National(RuleIds.RemoteConsultationSignedReport, $"{TelemedicineNorms}; {NingxiaStandard}", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "A remote consultation report carries the diagnosing or reviewing doctor's signature."),
        National(RuleIds.InformedConsentForOnlineVisit, $"National basic standard for Internet hospitals; {NingxiaStandard} 执业行为 (informed consent)", Confidence.Verified, RuleKind.Flags,
            NoParameters.Instance, "Informed consent is obtained before the online treatment it covers."),
        National(RuleIds.ReplyWithinPublishedLimit, "Guangdong notice (亮证经营: published reply limits)", Confidence.Verified, RuleKind.Flags,
            NoParameters.Instance, "The first doctor reply comes within the hospital's published reply limit."),
        National(RuleIds.ChildGuardianAndSpecialist, $"{DiagnosisMeasures} Art. 19", Confidence.Verified, RuleKind.Stops,
            new AgeBelow(6), "A child under 6 is seen online only with a guardian and a relevant specialist present."),
        National(RuleIds.WithinApprovedSubjects, $"{HospitalMeasures}; {NingxiaStandard} 执业行为", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "Online services stay within the hospital's approved subjects (诊疗科目)."),
        National(RuleIds.NoMachineClinician, SupervisionRules, Confidence.Secondary, RuleKind.Stops,
            NoParameters.Instance, "AI may assist but may not replace the doctor nor generate prescriptions."),
        National(RuleIds.PractitionerRegisteredHere, $"{HospitalMeasures}; national basic standard for Internet hospitals", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "Doctors, nurses and pharmacists are registered or filed (注册或备案) with this Internet hospital."),
        National(RuleIds.PractitionerWithinScope, $"{HospitalMeasures}; {NingxiaStandard}", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "A doctor's practice scope matches the subject (诊疗科目) of the visit."),
        National(RuleIds.PractitionerMinPracticeYears, $"{DiagnosisMeasures} Art. 25", Confidence.Verified, RuleKind.Stops,
            new MinimumYears(3), "3+ years of independent clinical practice."),
        Variant(RuleIds.PractitionerMinPracticeYears, Ningxia, From2018, NingxiaStandard, Confidence.Verified, RuleKind.Stops,
            new MinimumYears(5), "Ningxia: 5+ years of practice."),
        Variant(RuleIds.PractitionerMinTitle, Ningxia, From2018, NingxiaStandard, Confidence.Verified, RuleKind.Stops,
            new MinimumTitle(TitleGrade.Intermediate), "Ningxia: an intermediate title (中级) or higher."),
        Variant(RuleIds.PractitionerCleanRecord, Ningxia, From2018, NingxiaStandard, Confidence.Verified, RuleKind.Stops,
            new RecentPointsLimit(3, 0), "Ningxia: no major violation or bad-credit record (bad-practice points) in the last 3 years."),
        National(RuleIds.PractitionerRealNameVerified, SupervisionRules, Confidence.Secondary, RuleKind.Stops,
            NoParameters.Instance, "Before each consultation the doctor passes real-name verification; nobody stands in."),
        National(RuleIds.PractitionerNotSuspended, $"{NingxiaStandard} 事后监管", Confidence.Unconfirmed, RuleKind.Stops,
            NoParameters.Instance, "A suspended practitioner does not practise."),
        National(RuleIds.NoControlledDrugsOnline, $"{DiagnosisMeasures} Art. 19", Confidence.Verified, RuleKind.Stops,
            new BannedDrugClasses(new HashSet<DrugClass>
            {
                DrugClass.Narcotic, DrugClass.PsychotropicClass1, DrugClass.PsychotropicClass2,
                DrugClass.MedicalToxic, DrugClass.Radioactive, DrugClass.PrecursorChemical,
            }),
            "No narcotic, psychotropic or other specially controlled drugs online."),
        National(RuleIds.PrescribedByVisitDoctor, ReviewNorms, Confidence.Secondary, RuleKind.Stops,
            NoParameters.Instance, "A prescription is written and signed by the doctor who takes the visit."),
        National(RuleIds.MaxDrugs, PrescriptionMeasures, Confidence.Secondary, RuleKind.Stops,
            new MaximumDrugs(5), "At most 5 drugs per prescription."),
        National(RuleIds.FieldsComplete, PrescriptionMeasures, Confidence.Unconfirmed, RuleKind.Flags,
            NoParameters.Instance, "A prescription carries the patient's name, sex and age, the department, and for each drug its form, strength, quantity and dosage."),
        National(RuleIds.RetentionPrescription, $"{PrescriptionMeasures} Art. 50", Confidence.Verified, RuleKind.Stops,
            new PrescriptionRetention(1, 2, 3), "Prescriptions are kept 1 year; toxic and class-2 psychotropic 2 years; narcotic and class-1 psychotropic 3 years."),
        National(RuleIds.RetentionOutpatientRecord, $"{EmrNorms} Art. 19", Confidence.Verified, RuleKind.Stops,
            new MinimumYears(15), "Outpatient EMR (online visits included) is kept 15+ years from the last visit."),
        National(RuleIds.RetentionConsultationMedia, SupervisionRules, Confidence.Secondary, RuleKind.Stops,
            new MinimumYears(3), "A visit's chat, audio and video records are kept 3+ years."),
        National(RuleIds.DaysSupply, $"{PrescriptionMeasures} Art. 19", Confidence.Verified, RuleKind.Flags,
            new DaysSupplyLimit(7, 3), "At most 7 days' supply (3 in an emergency); longer only with the reason written."),
        National(RuleIds.LongTermMaxDays, "长期处方管理规范（试行）（2021）", Confidence.Secondary, RuleKind.Stops,
            new MaximumDays(84), "A long-term prescription covers at most 12 weeks, whatever the reason."),
        National(RuleIds.Validity, $"{PrescriptionMeasures} Art. 18", Confidence.Verified, RuleKind.Flags,
            new ValidityLimit(1, 3), "Valid on the day written; the doctor may extend it to at most 3 days."),
        National(RuleIds.ReviewerNotPrescriber, ReviewNorms, Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "The reviewing pharmacist is not the prescriber."),
        National(RuleIds.ReviewerExperiencedPharmacist, ReviewNorms, Confidence.Verified, RuleKind.Stops,
            new MinimumYears(3), "Reviewers are pharmacists with 3+ years of dispensing experience."),
        National(RuleIds.ReviewBeforeDispensing, ReviewNorms, Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "Every prescription passes pharmacist review before hand-off and dispensing."),
        National(RuleIds.NoDrugBeforePrescription, $"{SupervisionRules} (先方后药); REGULATION.md indicator 5", Confidence.Secondary, RuleKind.Stops,
            NoParameters.Instance, "No drug is selected, paid for or supplied before the doctor has signed the prescription (先方后药)."),
        National(RuleIds.ReviewTooFast, "REGULATION.md indicator 12 (threshold is configuration)", Confidence.Unconfirmed, RuleKind.Flags,
            new MinimumDuration(Duration.FromSeconds(30)), "A review faster than this may have been a formality."),
        National(RuleIds.NoEditWhenSealed, $"{EmrNorms} Art. 23; {DisputeRegulation} Art. 24", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "A sealed (封存) record is readable but not editable."),
        National(RuleIds.NoEditWhenArchived, $"{EmrNorms} Art. 14", Confidence.Secondary, RuleKind.Stops,
            NoParameters.Instance, "An archived record is not edited."),
        National(RuleIds.SealWithBothParties, $"{EmrNorms} Art. 23; {DisputeRegulation} Art. 24", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "Sealing needs both parties present and a sealing list signed by both."),
        National(RuleIds.UnsealWhenResolvedOrExpired, $"{DisputeRegulation} Art. 24", Confidence.Verified, RuleKind.Stops,
            new MinimumYears(3), "Unsealing once the dispute is resolved, or after 3 years without a claim."),
        National(RuleIds.LateSignature, $"{DisputeRegulation} Art. 15 (6 h after rescue); ordinary deadline is configuration", Confidence.Unconfirmed, RuleKind.Flags,
            new Deadline(Duration.FromHours(24), Duration.FromHours(6)), "Records are completed and signed in time; rescue notes within 6 hours."),
        National(RuleIds.ReliableSignature, "中华人民共和国电子签名法 Art. 13", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "A reliable e-signature is made with the signer's own key and detects any later change."),
        National(RuleIds.AuthoritativeSigningTime, $"{EmrNorms} (time from an authoritative source); tolerance is configuration", Confidence.Secondary, RuleKind.Flags,
            new Tolerance(Duration.FromMinutes(5)), "A signing time claimed far from the authoritative clock is shown (possible backdating)."),
        National(RuleIds.PatientRealName, $"{NingxiaStandard} 隐私保护", Confidence.Verified, RuleKind.Stops,
            NoParameters.Instance, "Patients register under their real name."),
        National(RuleIds.BreakGlassReason, "ARCHITECTURE.md Security; GB/T 22239-2019", Confidence.Unconfirmed, RuleKind.Stops,
            NoParameters.Instance, "Reading a patient's data without a care relationship needs a break-glass reason."),
        National(RuleIds.NoCareRelationship, "REGULATION.md indicator 20", Confidence.Unconfirmed, RuleKind.Flags,
            NoParameters.Instance, "A read without a care relationship is shown to the regulator and reviewed."),
        National(RuleIds.IncidentReportDeadline, "网络安全法; Guangdong notice on the provincial platform (deadline is configuration)", Confidence.Unconfirmed, RuleKind.Flags,
            new Deadline(Duration.FromHours(24)), "Adverse events and data leaks are reported to the authority at once."),
        Variant(RuleIds.NoOnlineFirstVisit, Beijing, Beijing2026, "北京市 2026 年儿科互联网首诊试点 (scope unconfirmed: configuration)", Confidence.Unconfirmed, RuleKind.Stops,
            new FirstVisitPolicy(new FirstVisitPilot(new HashSet<string> { "儿科" }, 0, 18)), "Beijing 2026: paediatric first visits may be online."),
    ]);

    private static Rule National(string id, string source, Confidence confidence, RuleKind kind, RuleParameters parameters, string summary) =>
        new(id, source, confidence, Jurisdiction.National, From2018, kind, parameters, summary);

    private static Rule Variant(string id, string province, Interval effective, string source, Confidence confidence, RuleKind kind, RuleParameters parameters, string summary) =>
        new(id, source, confidence, Jurisdiction.Province(province), effective, kind, parameters, summary);
}
