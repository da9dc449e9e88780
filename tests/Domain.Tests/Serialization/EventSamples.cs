namespace Records.Domain.Tests.Serialization;

using Records.Domain.AdverseEvent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Complaint;
using Records.Domain.Retention;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Platform;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.Domain.Signature;

/// <summary>One fixed instance of every event type, for the golden serialization test.</summary>
public static class EventSamples
{
    private static readonly Instant At = Instant.FromUtc(2026, 3, 2, 2, 0, 30);
    private static readonly string H = new('a', 64);
    private static readonly Flag Flag = new("prescription.days_supply_over_limit", "超过7日用量，已注明理由", RuleIds.DaysSupply, "处方管理办法（2007） Art. 19");
    private static readonly SigningKey Key = new(new string('b', 64), SignatureAlgorithm.Sm2WithSm3, "MFkwEwYHKoZIzj0CAQ==", At, At.Plus(Duration.FromDays(730)));
    private static readonly PrescriptionLine Line = new("氨氯地平片", DrugClass.Ordinary, "片剂", "5mg", 28m, "片", "每日一次，每次5mg", 28);

    public static IReadOnlyList<IDomainEvent> All { get; } =
    [
        new InstitutionRegistered("ih-1", "某互联网医院", "PDY-001", "某市人民医院", "330000", ["内科", "儿科"], At),
        new SubjectsApproved(["内科"], At),
        new ServiceTermsPublished(Duration.FromMinutes(30), [new Fee("复诊", 2000)], At),
        new ConnectedToPlatform("ZJ-PLATFORM", At),

        new PractitionerRegistered("dr-li", "李医生", Profession.Physician, "主治医师", TitleGrade.Intermediate, "110dr-li", new LocalDate(2014, 9, 1), At),
        new PractitionerEnrolled("ih-1", EnrolmentKind.Filed, ["内科"], At),
        new EnrolmentEnded("ih-1", "离职", At),
        new RealNameVerified("c-1", "face", At),
        new TrainingRecorded("互联网诊疗规范", true, new LocalDate(2026, 1, 15)),
        new PractitionerSuspended("不良执业", At),
        new PractitionerReinstated("整改完成", At),
        new BadPracticePointsRecorded(3, "超时回复", At),
        new Records.Domain.Practitioner.SigningKeyRegistered(Key),
        new SigningKeyRevoked(Key.Fingerprint, "设备丢失", At),

        new PatientRegistered("pt-zhang", "张三", Sex.Female, new LocalDate(1986, 5, 17), H, "13800000000", At, []),
        new GuardianAssigned(new Guardian("gd-zhang", "张母", "mother"), At),
        new ContactChanged("13900000000", At),
        new PatientSigningKeyRegistered(Key),

        new ConsentGranted("cs-1", "pt-zhang", ConsentScope.RemoteConsultation, "v3", H, "c-1", "gd-zhang", true, "sig-1", At, []),
        new ConsentWithdrawn("pt-zhang", "不再需要", At),

        new ConsultationRequested("c-1", "pt-zhang", "ih-1", ConsultationKind.OnlineFollowUp, "内科", "复诊开药", false, null, "pt-zhang", At, []),
        new ConsultationAccepted("dr-li", At, []),
        new OfflineEvidenceAttached(EvidenceKind.OutpatientRecord, "doc://opd/1", H, "某市人民医院", [new Diagnosis("I10", "原发性高血压")], "pt-zhang", At),
        new ChildSafeguardsAttested("gd-zhang", "dr-zhao", "dr-li", At),
        new MessagePosted("m-1", "dr-li", MessageKind.Image, null, "blob://m-1", H, At, [new Flag("visit.reply_late", "首次回复超过公布时限", RuleIds.ReplyWithinPublishedLimit, "Guangdong notice")]),
        new AiAssistanceDeclared("triage-model", "预问诊", "dr-li", At),
        new DiagnosisRecorded(new Diagnosis("I10", "原发性高血压"), "dr-li", At, []),
        new RiskAssessed(RiskLevel.Moderate, "血压控制欠佳", "dr-li", At),
        new ConditionChangeFlagged("胸痛加重", false, "dr-li", At),
        new ConsultationTerminated("病情变化", "某市人民医院急诊", "dr-li", At),
        new ConsultationCompleted("续方", "dr-li", At, []),
        new ConsultationReportSigned(H, "sig-report", "dr-li", At),

        new PrescriptionDrafted("rx-1", "c-1", "pt-zhang", "dr-li", [new Diagnosis("I10", "原发性高血压")], [Line], false, "慢性病长期用药", H, At, [Flag]),
        new PrescriptionSigned("sig-1", At, Instant.FromUtc(2026, 3, 2, 16, 0), []),
        new PrescriptionApproved("ph-wang", "sig-2", At, []),
        new PrescriptionRejected("ph-wang", ["剂量过大"], At, []),
        new PrescriptionValidityExtended(3, "患者出差", Instant.FromUtc(2026, 3, 4, 16, 0), [Flag]),
        new PrescriptionHandedOff("pharmacy-9", At, []),
        new DrugsSelected("pharmacy-9", "ph-chen", At, []),
        new PaymentTaken(36.50m, "PAY-20260302-001", "svc-pay", At, []),
        new PrescriptionDispensed("ph-chen", At, []),
        new PrescriptionDelivered("SF123", At, []),
        new PrescriptionCancelled("dr-li", "开错", At),
        new PrescriptionExpired(At),

        new DocumentCreated("doc-1", "pt-zhang", "c-1", DocumentKind.OutpatientRecord, "门诊病历", H, "dr-li", At, At, []),
        new DocumentAmended(2, 1, H, "补充过敏史", "dr-li", At, []),
        new DocumentSigned(2, "sig-3", "dr-li", At, []),
        new DocumentArchived("qm-1", At),
        new DocumentSealed("dispute-7", H, "sig-4", "sig-5", At, []),
        new CompletedPartSealed(H, "会诊记录", At, []),
        new DocumentUnsealed(UnsealGround.DisputeResolved, "调解书 2026-01", At, []),

        new SignatureRecorded("sig-1", "dr-li", new SubjectRef("prescription", "rx-1", 1), H, SignatureAlgorithm.EcdsaP256WithSha256, Key.Fingerprint, "MEUCIQ==", At, At, []),

        new AdverseEventRecorded("ae-1", "pt-zhang", AdverseEventCategory.AdverseDrugReaction, Severity.Moderate, "皮疹", At, "dr-li", At),
        new AdverseEventReported("省药监局", "ADR-2026-1", At, []),
        new AdverseEventInvestigated("与药物相关", "qm-1", At),
        new AdverseEventClosed("已处理", "qm-1", At),

        new ComplaintLodged("cp-1", "pt-zhang", "dr-li", "c-1", "回复太慢", "pt-zhang", At),
        new ComplaintReported("卫健委", "TS-1", At),
        new ComplaintInvestigated("属实", "qm-1", At),
        new ComplaintClosed(true, "已道歉", "qm-1", At),

        new RecordPurged("purge-1", RetainedRecordKind.Prescription, "rx-1", new LocalDate(2025, 1, 1), new LocalDate(2026, 1, 1), "保存期满", "admin-1", At, []),

        new PatientDataRead("ac-1", "pt-zhang", "dr-zhao", Role.Physician, "emr/doc-1", PurposeOfUse.Emergency, false, "急诊抢救", At, []),
        new BreakGlassReviewed("qm-1", true, "抢救需要", At),

        new UploadSent("zj-platform", 7, 120, 180, [new DataSetCount("prescriptions", 3), new DataSetCount("visits", 2)], At, At),
        new UploadAcknowledged("zj-platform", 7, "ACK-7", At),
        new UploadFailed("zj-platform", 7, 2, "the platform answered 503", false, At),
    ];
}
