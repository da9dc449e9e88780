using NodaTime;
using Records.Domain;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Projections.Regulator;

namespace Records.Projections.Tests.Regulator;

/// <summary>Indicators 1–3, 7, 9, 10, 13 and 19: each with a history that triggers it and one that does not.</summary>
public class VisitIndicatorTests : RegulatorHarness
{
    private static readonly VisitPlan Clean = new();

    [Fact]
    public async Task A_clean_visit_with_time_passing_gives_no_finding_at_all()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean);
        await h.TimePassesAsync(Duration.FromDays(5));
        await CaughtUpAsync();

        Assert.Empty((await h.FindingsAsync()).Select(f => $"{f.Code} {f.Message}"));
    }

    // 互联网诊疗管理办法（试行） Art. 16 (visit.no_online_first_visit)
    [Fact]
    public async Task Indicator_1_online_first_visit_is_found_with_its_rule_and_evidence()
    {
        var h = await Hospital.OpenAsync(this);
        var visit = await h.VisitAsync(Clean with { FirstVisit = true });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(1));
        Assert.Equal("visit.first_visit_online", finding.Code);
        Assert.Equal("visit.no_online_first_visit", finding.RuleId);
        Assert.Contains("Art. 16", finding.RuleSource);
        Assert.Equal(h.Id, finding.InstitutionId);
        Assert.Equal(new Pseudonymizer(PseudonymKey).Of(visit.Patient), finding.PatientRef);
        var requested = await Store.ReadStreamAsync($"consultation-{visit.Consultation}").FirstAsync();
        Assert.Equal(new EvidenceLink(requested.EventId, requested.Sequence!.Value, "consultation.requested.v1"), Assert.Single(finding.Evidence));
    }

    // 互联网诊疗管理办法（试行） Art. 16: a first visit a pilot let through (Beijing 2026 paediatrics) is no finding.
    [Fact]
    public async Task Indicator_1_first_visit_under_a_pilot_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { FirstVisit = true, FirstVisitPilot = "北京市 2026 年儿科互联网首诊试点" });
        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(1));
    }

    // 互联网诊疗管理办法（试行） Art. 16 forbids online diagnosis of a first visit; online advice (咨询) is not that.
    [Fact]
    public async Task Indicator_1_first_visit_for_online_advice_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Kind = ConsultationKind.OnlineAdvice, FirstVisit = true, Prescribe = false });
        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(1));
    }

    // 互联网诊疗管理办法（试行） Art. 16 (visit.follow_up_needs_offline_evidence)
    [Fact]
    public async Task Indicator_1_follow_up_without_offline_evidence_is_found_once_per_visit()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { EvidenceIcd10 = [] });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(1));
        Assert.Equal("visit.no_offline_evidence", finding.Code);
        Assert.Equal(h.Doctor, finding.PractitionerId);
    }

    // 互联网诊疗管理办法（试行） Art. 16 (visit.follow_up_same_diagnosis)
    [Fact]
    public async Task Indicator_2_follow_up_for_another_diagnosis()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { DiagnosisIcd10 = "E11.9" });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(2));
        Assert.Equal("visit.diagnosis_not_evidenced", finding.Code);
        Assert.Equal(2, finding.Evidence.Count); // the offline evidence, then the diagnosis
    }

    [Fact]
    public async Task Indicator_2_same_icd10_category_as_the_evidence_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { EvidenceIcd10 = ["I10", "E11"], DiagnosisIcd10 = "E11.9" });
        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(2));
    }

    // 宁夏互联网医院监管标准 应急处置 (visit.stop_on_condition_change)
    [Fact]
    public async Task Indicator_3_went_on_after_the_condition_changed()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { ConditionChange = true });
        await CaughtUpAsync();

        var codes = (await h.FindingsAsync(3)).Select(f => f.Code).Order().ToList();
        Assert.Equal(["visit.completed_without_referral", "visit.continued_after_condition_change"], codes);
    }

    [Fact]
    public async Task Indicator_3_terminated_and_referred_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { ConditionChange = true, Terminate = true, Diagnose = false, Prescribe = false, Complete = false, RecordSignedAfter = null });
        await CaughtUpAsync();

        Assert.Empty((await h.FindingsAsync()).Select(f => $"{f.Code} {f.Message}"));
    }

    // 互联网诊疗管理办法（试行） Art. 19 (visit.child_guardian_and_specialist)
    [Fact]
    public async Task Indicator_7_child_under_6_without_guardian_and_specialist()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { PatientBorn = new LocalDate(2022, 5, 1) });
        await CaughtUpAsync();

        Assert.Equal("visit.child_without_guardian_and_specialist", Assert.Single(await h.FindingsAsync(7)).Code);
    }

    [Fact]
    public async Task Indicator_7_child_with_attested_guardian_and_specialist_or_aged_6_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { PatientBorn = new LocalDate(2022, 5, 1), ChildSafeguards = true });
        await h.VisitAsync(Clean with { PatientBorn = new LocalDate(2020, 11, 2) });
        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(7));
    }

    // 互联网诊疗监管细则（试行） (practitioner.real_name_verified)
    [Fact]
    public async Task Indicator_9_doctor_acted_without_real_name_verification_for_the_consultation()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Verify = false });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(9));
        Assert.Equal("practitioner.not_real_name_verified", finding.Code);
        Assert.Equal(h.Doctor, finding.PractitionerId);
    }

    [Fact]
    public async Task Indicator_9_a_login_without_verified_real_name_is_a_finding_even_after_face_verification()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { DoctorRealNameVerifiedOnLogin = false });
        await CaughtUpAsync();

        Assert.Single(await h.FindingsAsync(9));
    }

    // 互联网医院管理办法（试行）; 宁夏互联网医院监管标准 事后监管 (practitioner.not_suspended)
    [Fact]
    public async Task Indicator_10_suspended_doctor()
    {
        var h = await Hospital.OpenAsync(this);
        await h.Append("practitioner", h.Doctor, new PractitionerSuspended("投诉调查", h.Later(Duration.FromMinutes(1))));
        await h.VisitAsync(Clean);
        await CaughtUpAsync();

        Assert.Equal("practitioner.suspended", Assert.Single(await h.FindingsAsync(10)).Code);
    }

    // 互联网医院管理办法（试行） (practitioner.registered_here)
    [Fact]
    public async Task Indicator_10_doctor_not_registered_here()
    {
        var h = await Hospital.OpenAsync(this);
        await h.Append("practitioner", "dr-elsewhere", new PractitionerRegistered("dr-elsewhere", "李四", Profession.Physician, "主任医师", TitleGrade.Senior, "REG-9", new LocalDate(2000, 1, 1), h.Now));
        await h.VisitAsync(Clean with { Doctor = "dr-elsewhere" });
        await CaughtUpAsync();

        Assert.Contains(await h.FindingsAsync(10), f => f.Code == "practitioner.not_registered_here" && f.PractitionerId == "dr-elsewhere");
    }

    // 互联网诊疗管理办法（试行） Art. 25 (3 years), 宁夏互联网医院监管标准 (5 years): the province's variant wins.
    [Theory]
    [InlineData("370000", false)]
    [InlineData(Records.Domain.Rules.RuleCatalog.Ningxia, true)]
    public async Task Indicator_10_four_years_of_practice_is_too_little_only_in_Ningxia(string province, bool found)
    {
        var h = await Hospital.OpenAsync(this, province);
        await h.RegisterPractitionerAsync("dr-young-" + province, Profession.Physician, new LocalDate(2022, 7, 1), ["内科"]);
        await h.VisitAsync(Clean with { Doctor = "dr-young-" + province });
        await CaughtUpAsync();

        var findings = await h.FindingsAsync(10);
        Assert.Equal(found, findings.Any(f => f.Code == "practitioner.too_little_practice"));
        if (found) Assert.Contains("宁夏", Assert.Single(findings).RuleSource);
        Assert.DoesNotContain(findings, f => f.Code != "practitioner.too_little_practice");
    }

    // 宁夏互联网医院监管标准 (practitioner.min_title: a province-only rule)
    [Theory]
    [InlineData("370000", false)]
    [InlineData(Records.Domain.Rules.RuleCatalog.Ningxia, true)]
    public async Task Indicator_10_a_junior_title_is_too_low_only_in_Ningxia(string province, bool found)
    {
        var h = await Hospital.OpenAsync(this, province);
        await h.RegisterPractitionerAsync("dr-junior", Profession.Physician, new LocalDate(2010, 7, 1), ["内科"], TitleGrade.Junior);
        await h.VisitAsync(Clean with { Doctor = "dr-junior" });
        await CaughtUpAsync();

        Assert.Equal(found ? ["practitioner.title_too_low"] : [], (await h.FindingsAsync(10)).Select(f => f.Code));
    }

    // National basic standard; 宁夏 执业行为 (visit.informed_consent)
    [Fact]
    public async Task Indicator_13_follow_up_without_informed_consent()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Consent = null });
        await CaughtUpAsync();

        Assert.Equal("visit.no_informed_consent", Assert.Single(await h.FindingsAsync(13)).Code);
    }

    // 远程医疗服务管理规范（试行） (visit.remote_consultation_written_consent)
    [Fact]
    public async Task Indicator_13_remote_consultation_without_signed_consent()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Kind = ConsultationKind.RemoteConsultation, Consent = ConsentScope.RemoteConsultation, ConsentSigned = false });
        await CaughtUpAsync();

        Assert.Equal("visit.no_written_consent", Assert.Single(await h.FindingsAsync(13)).Code);
    }

    [Fact]
    public async Task Indicator_13_remote_consultation_with_signed_consent_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Kind = ConsultationKind.RemoteConsultation, Consent = ConsentScope.RemoteConsultation });
        await CaughtUpAsync();

        Assert.Empty(await h.FindingsAsync(13));
    }

    // Guangdong notice (亮证经营), the institution's published reply limit (visit.reply_within_published_limit)
    [Fact]
    public async Task Indicator_19_first_reply_after_the_published_limit()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { ReplyAfter = Duration.FromMinutes(45), Diagnose = false, Prescribe = false, Complete = false, RecordSignedAfter = null });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(19));
        Assert.Equal("visit.reply_late", finding.Code);
        Assert.Equal(2, finding.Evidence.Count); // the request, then the first event past the deadline
    }

    [Fact]
    public async Task Indicator_19_reply_within_the_limit_is_not_a_finding_and_a_pending_one_shows_only_as_of_a_later_instant()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { ReplyAfter = Duration.FromMinutes(29) });
        var waiting = h.NewId("cn");
        var patient = await h.PatientAsync(new LocalDate(1980, 1, 1), ConsentScope.OnlineVisit);
        var requestedAt = h.Later(Duration.FromMinutes(1));
        await h.Append("consultation", waiting, new ConsultationRequested(waiting, patient, h.Id, ConsultationKind.OnlineFollowUp, "内科", "复诊", false, null, patient, requestedAt, []),
            patient, Role.Patient);
        await CaughtUpAsync();

        Assert.Empty((await h.FindingsAsync(19)).Select(f => $"{f.Code} {f.Message}"));
        var overdue = Assert.Single(await h.FindingsAsync(19, asOf: requestedAt + Duration.FromHours(1)));
        Assert.True(overdue.Overdue);
        Assert.Equal(requestedAt + Duration.FromMinutes(30), overdue.At);
        Assert.Empty(await h.FindingsAsync(19, asOf: requestedAt + Duration.FromMinutes(20)));
    }
}
