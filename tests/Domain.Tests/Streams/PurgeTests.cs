namespace Records.Domain.Tests.Streams;

using Records.Domain.Prescription;
using Records.Domain.Retention;
using static Records.Domain.Retention.PurgeDecider;

public class PurgeTests
{
    // T0 is 2026-03-02 in China.
    private static PurgeContext Ctx(RetainedRecord? record) => new(T0, Regulation(), record);

    private static PurgeRecord Purge(RetainedRecordKind kind, string id, Actor? by = null, string reason = "保存期满") =>
        new(By(by ?? Admin), "purge-1", kind, id, reason);

    [Fact]
    public void Full_lifecycle_a_purge_after_the_period_is_recorded_once()
    {
        var record = new RetainedRecord(RetainedRecordKind.Prescription, "rx-1", new LocalDate(2025, 3, 1));
        var purged = Decide(Purge(RetainedRecordKind.Prescription, "rx-1"), PurgeState.Initial, Ctx(record)).Accepted().One<RecordPurged>();
        Assert.Empty(purged.Flags);
        Assert.Equal(new LocalDate(2026, 3, 1), purged.RetainUntil);
        var state = Evolve(PurgeState.Initial, purged);
        Assert.True(state.Purged);
        Decide(Purge(RetainedRecordKind.Prescription, "rx-1"), state, Ctx(record)).Rejected("purge.already_exists");
    }

    [Fact]
    public void Illegal_purges_are_rejected_with_their_code()
    {
        var record = new RetainedRecord(RetainedRecordKind.Prescription, "rx-1", new LocalDate(2020, 1, 1));
        Decide(Purge(RetainedRecordKind.Prescription, "rx-1", by: Quality), PurgeState.Initial, Ctx(record)).Rejected("purge.role_not_allowed");
        Decide(Purge(RetainedRecordKind.Prescription, "rx-1", reason: " "), PurgeState.Initial, Ctx(record)).Rejected("purge.without_reason");
        Decide(Purge(RetainedRecordKind.Prescription, "rx-2"), PurgeState.Initial, Ctx(record)).Rejected("prescription.not_found");
        Decide(Purge(RetainedRecordKind.OutpatientRecord, "rx-1"), PurgeState.Initial, Ctx(record)).Rejected("outpatient_record.not_found");
    }

    // 处方管理办法 Art. 50: 1 year for ordinary drugs, 2 for class-2 psychotropic, 3 for narcotic.
    [Theory]
    [InlineData(DrugClass.Ordinary, 2025, true)]
    [InlineData(DrugClass.PsychotropicClass2, 2025, false)]
    [InlineData(DrugClass.PsychotropicClass2, 2024, true)]
    [InlineData(DrugClass.Narcotic, 2024, false)]
    [InlineData(DrugClass.Narcotic, 2023, true)]
    public void Art50_prescriptions_are_kept_by_their_strictest_class(DrugClass strictest, int writtenIn, bool allowed)
    {
        var record = new RetainedRecord(RetainedRecordKind.Prescription, "rx-1", new LocalDate(writtenIn, 3, 1), strictest);
        var decision = Decide(Purge(RetainedRecordKind.Prescription, "rx-1"), PurgeState.Initial, Ctx(record));
        if (allowed) decision.Accepted();
        else decision.Rejected("purge.before_retention_period", RuleIds.RetentionPrescription);
    }

    // 电子病历应用管理规范 Art. 19: outpatient EMR 15 years from the last visit.
    [Fact]
    public void Emr_norms_art19_outpatient_records_are_kept_fifteen_years_from_the_last_visit()
    {
        Decide(Purge(RetainedRecordKind.OutpatientRecord, "doc-1"), PurgeState.Initial,
            Ctx(new RetainedRecord(RetainedRecordKind.OutpatientRecord, "doc-1", new LocalDate(2011, 3, 1)))).Accepted();
        var stopped = Decide(Purge(RetainedRecordKind.OutpatientRecord, "doc-1"), PurgeState.Initial,
            Ctx(new RetainedRecord(RetainedRecordKind.OutpatientRecord, "doc-1", new LocalDate(2011, 3, 3))))
            .Rejected("purge.before_retention_period", RuleIds.RetentionOutpatientRecord);
        Assert.Contains("2026-03-03", stopped.Message);
    }

    // 互联网诊疗监管细则: a visit's chat, audio and video 3 years.
    [Fact]
    public void Supervision_rules_visit_media_are_kept_three_years()
    {
        Decide(Purge(RetainedRecordKind.ConsultationMedia, "c-1"), PurgeState.Initial,
            Ctx(new RetainedRecord(RetainedRecordKind.ConsultationMedia, "c-1", new LocalDate(2023, 3, 2)))).Accepted();
        Decide(Purge(RetainedRecordKind.ConsultationMedia, "c-1"), PurgeState.Initial,
                Ctx(new RetainedRecord(RetainedRecordKind.ConsultationMedia, "c-1", new LocalDate(2023, 3, 3))))
            .Rejected("purge.before_retention_period", RuleIds.RetentionConsultationMedia);
    }
}
