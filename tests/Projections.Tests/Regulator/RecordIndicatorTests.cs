using NodaTime;
using Records.Domain;
using Records.Domain.AdverseEvent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Prescription;
using Records.Domain.Retention;
using Records.Projections.Regulator;
using Records.Projections.Runner;
using Records.Projections.Streams;

namespace Records.Projections.Tests.Regulator;

/// <summary>Indicators 14, 15, 16, 18, 20 and 21, and the flags that events carry.</summary>
public class RecordIndicatorTests : RegulatorHarness
{
    private static readonly VisitPlan Clean = new();

    // 电子病历应用管理规范; 医疗纠纷预防和处理条例 Art. 15 (document.late_signature: 24 h configured)
    [Fact]
    public async Task Indicator_14_visit_closed_without_a_signed_record_in_time()
    {
        var h = await Hospital.OpenAsync(this);
        var late = await h.VisitAsync(Clean with { RecordSignedAfter = Duration.FromHours(30) });
        var never = await h.VisitAsync(Clean with { RecordSignedAfter = null });
        await h.TimePassesAsync(Duration.FromDays(2));
        await CaughtUpAsync();

        var findings = await h.FindingsAsync(14);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal("visit.record_not_signed_in_time", f.Code));
        Assert.Equal(new[] { late.Consultation, never.Consultation }.Order(), findings.Select(f => f.Id.Split(':')[^1]).Order());
    }

    [Fact]
    public async Task Indicator_14_record_signed_within_the_hours_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { RecordSignedAfter = Duration.FromHours(23) });
        await h.TimePassesAsync(Duration.FromDays(2));
        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(14));
    }

    // 处方管理办法 Art. 50 (retention.prescription): 1 year for ordinary drugs, 2 for class-2 psychotropic.
    [Theory]
    [InlineData(DrugClass.Ordinary, 400, false)]
    [InlineData(DrugClass.Ordinary, 300, true)]
    [InlineData(DrugClass.PsychotropicClass2, 400, true)]
    public async Task Indicator_16_prescription_purged_before_its_retention_period(DrugClass drugClass, int daysLater, bool found)
    {
        var h = await Hospital.OpenAsync(this);
        var visit = await h.VisitAsync(Clean with { Lines = [Hospital.Amlodipine, Hospital.Amlodipine with { Drug = "艾司唑仑片", Class = drugClass }] });
        var purge = h.NewId("purge");
        // The event claims the period began long ago: the view judges by the day the prescription was written.
        await h.Append("purge", purge, new RecordPurged(purge, RetainedRecordKind.Prescription, visit.Prescription!, new LocalDate(2020, 1, 1), null, "保存期满",
            "admin-1", h.Later(Duration.FromDays(daysLater)), []), "admin-1", Role.Administrator);
        await CaughtUpAsync();

        var findings = await h.FindingsAsync(16);
        Assert.Equal(found, findings.Count == 1);
        if (found) Assert.Equal(["prescription.drafted.v1", "purge.record_purged.v1"], findings[0].Evidence.Select(e => e.EventType));
    }

    // 电子病历应用管理规范 Art. 19 (retention.outpatient_record): 15 years from the last visit.
    [Theory]
    [InlineData(2015, true)]
    [InlineData(2010, false)]
    public async Task Indicator_16_outpatient_record_purged_before_fifteen_years(int lastVisitYear, bool found)
    {
        var h = await Hospital.OpenAsync(this);
        var purge = h.NewId("purge");
        await h.Append("purge", purge, new RecordPurged(purge, RetainedRecordKind.OutpatientRecord, "doc-old", new LocalDate(lastVisitYear, 6, 1), null, "保存期满",
            "admin-1", h.Later(Duration.FromMinutes(1)), []), "admin-1", Role.Administrator);
        await CaughtUpAsync();

        Assert.Equal(found ? ["purge.before_retention_period"] : [], (await h.FindingsAsync(16)).Select(f => f.Code));
    }

    // 医疗纠纷预防和处理条例 Art. 15: a rescue note within 6 hours.
    [Theory]
    [InlineData(7, true)]
    [InlineData(5, false)]
    public async Task Indicator_14_rescue_note_signed_after_6_hours(int hours, bool found)
    {
        var h = await Hospital.OpenAsync(this);
        var patient = await h.PatientAsync(new LocalDate(1960, 1, 1));
        var doc = h.NewId("doc");
        var rescueEnded = h.Later(Duration.FromMinutes(5));
        await h.Append("document", doc, new DocumentCreated(doc, patient, null, DocumentKind.RescueNote, "抢救记录", new string('d', 64), h.Doctor, rescueEnded, rescueEnded, []), h.Doctor);
        await h.Append("document", doc, new DocumentSigned(1, h.NewId("sig"), h.Doctor, h.Later(Duration.FromHours(hours)), []), h.Doctor);
        await CaughtUpAsync();

        var findings = await h.FindingsAsync(14);
        Assert.Equal(found, findings.Count == 1);
        if (found) Assert.Equal(["document.created.v1", "document.signed.v1"], findings[0].Evidence.Select(e => e.EventType));
    }

    // 电子病历应用管理规范 Art. 14, 23; 医疗纠纷预防和处理条例 Art. 24 (document.no_edit_when_archived/sealed, seal_with_both_parties, unseal_when_resolved_or_expired)
    [Fact]
    public async Task Indicator_15_edits_after_archive_and_seal_sealing_without_both_parties_and_early_unsealing()
    {
        var h = await Hospital.OpenAsync(this);
        var visit = await h.VisitAsync(Clean);
        var doc = visit.Document!;
        await h.Append("document", doc, new DocumentArchived("records-office", h.Later(Duration.FromDays(1))), "records-office", Role.QualityManager);
        await h.Append("document", doc, new DocumentAmended(2, 1, new string('f', 64), "补充", h.Doctor, h.Later(Duration.FromHours(1)), []), h.Doctor);
        await h.Append("document", doc, new DocumentSealed("dispute-1", new string('9', 64), h.NewId("sig"), "", h.Later(Duration.FromHours(1)), []), "legal-1", Role.Legal);
        await h.Append("document", doc, new DocumentAmended(3, 2, new string('8', 64), "修改", h.Doctor, h.Later(Duration.FromHours(1)), []), h.Doctor);
        await h.Append("document", doc, new DocumentUnsealed(UnsealGround.NoClaimWithinPeriod, null, h.Later(Duration.FromDays(400)), []), "legal-1", Role.Legal);
        await CaughtUpAsync();

        var codes = (await h.FindingsAsync(15)).Select(f => f.Code).Order().ToList();
        Assert.Equal(["document.archived", "document.seal_without_both_parties", "document.sealed", "document.unseal_too_early"], codes);
    }

    [Fact]
    public async Task Indicator_15_amendment_before_archive_and_a_proper_seal_and_unseal_are_not_findings()
    {
        var h = await Hospital.OpenAsync(this);
        var doc = (await h.VisitAsync(Clean)).Document!;
        await h.Append("document", doc, new DocumentAmended(2, 1, new string('f', 64), "补充", h.Doctor, h.Later(Duration.FromHours(1)), []), h.Doctor);
        await h.Append("document", doc, new DocumentSealed("dispute-1", new string('9', 64), h.NewId("sig"), h.NewId("sig"), h.Later(Duration.FromHours(1)), []), "legal-1", Role.Legal);
        await h.Append("document", doc, new DocumentUnsealed(UnsealGround.DisputeResolved, "调解书 2026-17", h.Later(Duration.FromDays(30)), []), "legal-1", Role.Legal);
        await h.Append("document", doc, new DocumentAmended(3, 2, new string('8', 64), "更正", h.Doctor, h.Later(Duration.FromHours(1)), []), h.Doctor);
        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(15));
    }

    // 网络安全法; Guangdong notice (incident.report_deadline: 24 h configured)
    [Fact]
    public async Task Indicator_18_data_leak_not_reported_within_the_deadline()
    {
        var h = await Hospital.OpenAsync(this);
        var leak = h.NewId("ae");
        var recordedAt = h.Later(Duration.FromMinutes(1));
        await h.Append("adverse_event", leak, new AdverseEventRecorded(leak, null, AdverseEventCategory.DataLeak, Severity.Severe, "数据库导出泄露", recordedAt - Duration.FromHours(2), "qm-1", recordedAt),
            "qm-1", Role.QualityManager);
        await CaughtUpAsync();
        Assert.Equal(DeadlineStatus.Pending, Assert.Single(await Queries.AdverseEventsAsync(h.Id)).Status);
        Assert.Equal(DeadlineStatus.Overdue, Assert.Single(await Queries.AdverseEventsAsync(h.Id, asOf: recordedAt + Duration.FromHours(25))).Status);

        await h.TimePassesAsync(Duration.FromHours(30));
        await h.Append("adverse_event", leak, new AdverseEventReported("省卫健委", "R-1", h.Later(Duration.FromHours(1)), []), "qm-1", Role.QualityManager);
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(18));
        Assert.Equal("adverse_event.reported_late", finding.Code);
        Assert.Equal(recordedAt + Duration.FromHours(24), finding.At);
        var entry = Assert.Single(await Queries.AdverseEventsAsync(h.Id));
        Assert.Equal((DeadlineStatus.Late, recordedAt + Duration.FromHours(24)), (entry.Status, entry.Deadline));
    }

    [Fact]
    public async Task An_adverse_event_recorded_twice_stops_the_view_on_the_second_record_with_a_clear_error()
    {
        // Past the domain's own check (appended as events, in one append): the view may meet any history. Opened twice,
        // the deadline kept the first one's place in the queue, and the report past both deadlines spun the view for ever.
        var h = await Hospital.OpenAsync(this);
        var leak = h.NewId("ae");
        var recordedAt = h.Later(Duration.FromMinutes(1));
        AdverseEventRecorded Recorded(Instant at) => new(leak, null, AdverseEventCategory.DataLeak, Severity.Severe, "数据库导出泄露", recordedAt, "qm-1", at);
        await h.AppendAll("adverse_event", leak,
            [Recorded(recordedAt), Recorded(recordedAt + Duration.FromHours(1)), new AdverseEventReported("省卫健委", "R-1", recordedAt + Duration.FromHours(30), [])],
            "qm-1", Role.QualityManager);

        await Assert.ThrowsAsync<InvalidOperationException>(CaughtUpAsync);
        var status = (await Runner.StatusAsync()).Single(s => s.Name == RegulatorProjection.SchemaName);
        var second = await Store.ReadStreamAsync(new StreamRef("adverse_event", leak).StreamId).Skip(1).FirstAsync();
        Assert.Equal((ProjectionState.Failed, second.EventId), (status.State, status.FailedEventId));
        Assert.Contains("already open", status.Error);
    }

    [Fact]
    public async Task Indicator_18_adverse_event_reported_in_time_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        var adr = h.NewId("ae");
        var patient = await h.PatientAsync(new LocalDate(1950, 1, 1));
        await h.Append("adverse_event", adr, new AdverseEventRecorded(adr, patient, AdverseEventCategory.AdverseDrugReaction, Severity.Moderate, "皮疹", h.Now, "qm-1", h.Later(Duration.FromMinutes(1))),
            "qm-1", Role.QualityManager);
        await h.Append("adverse_event", adr, new AdverseEventReported("国家药品不良反应监测系统", "ADR-1", h.Later(Duration.FromHours(20)), []), "qm-1", Role.QualityManager);
        await h.TimePassesAsync(Duration.FromDays(3));
        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(18));
        var entry = Assert.Single(await Queries.AdverseEventsAsync(h.Id));
        Assert.Equal(DeadlineStatus.Met, entry.Status);
        Assert.Equal(new Pseudonymizer(PseudonymKey).Of(patient), entry.PatientRef);
        Assert.Equal(["adverse_event.recorded.v1", "adverse_event.reported.v1"], entry.Evidence.Select(e => e.EventType));
    }

    // ARCHITECTURE.md Security; GB/T 22239-2019 (access.no_care_relationship, access.break_glass_reason, access.break_glass_review)
    [Fact]
    public async Task Indicator_20_read_without_care_relationship_without_reason_and_break_glass_not_reviewed()
    {
        var h = await Hospital.OpenAsync(this);
        var patient = await h.PatientAsync(new LocalDate(1980, 1, 1));
        var noReason = await h.ReadAsync(patient, "dr-curious", Role.Physician, careRelationship: false, reason: null);
        var unreviewed = await h.ReadAsync(patient, "dr-er", Role.Physician, careRelationship: false, reason: "急诊抢救");
        await h.TimePassesAsync(Duration.FromDays(4));
        await CaughtUpAsync();

        var findings = await h.FindingsAsync(20);
        Assert.Equal(
            [$"access.break_glass:access:{noReason}", $"access.break_glass:access:{unreviewed}", $"access.break_glass_not_reviewed:access:{unreviewed}",
             $"access.break_glass_reason_required:access:{noReason}"],
            findings.Select(f => f.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Indicator_20_read_within_a_care_relationship_is_not_a_finding_and_a_reviewed_break_glass_only_shows_the_read()
    {
        var h = await Hospital.OpenAsync(this);
        var patient = await h.PatientAsync(new LocalDate(1980, 1, 1));
        await h.ReadAsync(patient, h.Doctor, Role.Physician, careRelationship: true, reason: null);
        var access = await h.ReadAsync(patient, "dr-er", Role.Physician, careRelationship: false, reason: "急诊抢救");
        await h.Append("access", access, new Domain.RecordAccess.BreakGlassReviewed("qm-1", true, "抢救需要", h.Later(Duration.FromHours(5))), "qm-1", Role.QualityManager);
        await h.TimePassesAsync(Duration.FromDays(4));
        await CaughtUpAsync();

        Assert.Equal([$"access.break_glass:access:{access}"], (await h.FindingsAsync(20)).Select(f => f.Id));
    }

    // REGULATION.md: no commercial aggregation (商业统方) (prescription.no_commercial_aggregation: 50 patients a day configured)
    [Fact]
    public async Task Indicator_21_one_doctor_reading_the_prescriptions_of_51_patients_in_a_day()
    {
        var h = await Hospital.OpenAsync(this);
        for (var i = 0; i < 51; i++)
        {
            await h.ReadAsync($"pt-bulk-{i}", "dr-bulk", Role.Physician, careRelationship: true, reason: null, resource: $"prescription/rx-{i}");
        }

        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(21));
        Assert.Equal(("prescription.bulk_aggregation", "dr-bulk", 51), (finding.Code, finding.PractitionerId, finding.Evidence.Count));
        Assert.Null(finding.PatientRef);
    }

    [Fact]
    public async Task Indicator_21_fifty_patients_or_a_quality_manager_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        for (var i = 0; i < 51; i++)
        {
            if (i < 50) await h.ReadAsync($"pt-bulk-{i}", "dr-bulk", Role.Physician, careRelationship: true, reason: null, resource: $"prescription/rx-{i}");
            await h.ReadAsync($"pt-bulk-{i}", "qm-bulk", Role.QualityManager, careRelationship: true, reason: null, resource: $"prescription/rx-{i}");
        }

        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(21));
    }

    // A flag a decider (or the importing system) recorded on the event is a finding with the flag's own rule and source.
    [Fact]
    public async Task A_flag_carried_on_an_event_is_a_finding_under_its_rules_indicator()
    {
        var h = await Hospital.OpenAsync(this);
        var patient = await h.PatientAsync(new LocalDate(1980, 1, 1));
        var doc = h.NewId("doc");
        await h.Append("document", doc, new DocumentCreated(doc, patient, null, DocumentKind.ConsultationNote, "会诊记录", new string('d', 64), h.Doctor, h.Now, h.Now, []), h.Doctor);
        var flag = new Flag("document.signed_late", "Signed 30 h after the encounter.", Records.Domain.Rules.RuleIds.LateSignature, "医疗纠纷预防和处理条例（2018） Art. 15");
        var unwatched = new Flag("patient.real_name_not_verified", "x", Records.Domain.Rules.RuleIds.PatientRealName, "宁夏");
        await h.Append("document", doc, new DocumentSigned(1, h.NewId("sig"), h.Doctor, h.Later(Duration.FromHours(30)), [flag, unwatched]), h.Doctor);
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync());
        Assert.Equal((14, "document.signed_late", "document.late_signature", "医疗纠纷预防和处理条例（2018） Art. 15", h.Doctor),
            (finding.Indicator.Number, finding.Code, finding.RuleId, finding.RuleSource, finding.PractitionerId));
    }
}
