using NodaTime;
using Records.Domain;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;

namespace Records.Projections.Tests.Regulator;

/// <summary>Indicators 4, 5, 6, 8, 11 and 12: each with a history that triggers it and one that does not.</summary>
public class PrescriptionIndicatorTests : RegulatorHarness
{
    private static readonly VisitPlan Clean = new();

    [Fact]
    public async Task Indicators_4_5_6_8_11_12_a_clean_prescription_is_not_a_finding()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Lines = [Hospital.Amlodipine with { DaysSupply = 30 }], LongerSupplyReason = "慢性病长期用药" });
        await CaughtUpAsync();

        foreach (var indicator in new[] { 4, 5, 6, 8, 11, 12 })
        {
            Assert.Empty(await h.FindingsAsync(indicator));
        }
    }

    // 医疗机构处方审核规范 (prescription.review_before_dispensing): a pharmacy system's import dispensed before approval.
    [Fact]
    public async Task Indicator_4_dispensed_before_pharmacist_approval()
    {
        var h = await Hospital.OpenAsync(this);
        var visit = await h.VisitAsync(Clean with { SupplyBeforeApproval = true });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(4));
        Assert.Equal("prescription.not_approved", finding.Code);
        Assert.Equal($"prescription:{visit.Prescription}", finding.Id["prescription.not_approved:".Length..]);
        Assert.Equal(["prescription.drafted.v1", "prescription.dispensed.v1"], finding.Evidence.Select(e => e.EventType));
    }

    // REGULATION.md Prescriptions: 先方后药 (prescription.prescription_before_drug)
    [Fact]
    public async Task Indicator_5_drug_handed_off_before_the_prescription_was_signed()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { SupplyBeforeSigning = true });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(5));
        Assert.Equal("prescription.drug_before_prescription", finding.Code);
        Assert.Contains("先方后药", finding.RuleSource);
    }

    // 互联网诊疗管理办法（试行） Art. 19 (prescription.no_controlled_drugs_online)
    [Fact]
    public async Task Indicator_6_banned_drug_class_online()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Lines = [Hospital.Amlodipine, new("吗啡缓释片", DrugClass.Narcotic, "片剂", "10mg", 7, "片", "10mg q12h", 3)] });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(6));
        Assert.Equal("prescription.controlled_drug_online", finding.Code);
        Assert.Contains("吗啡缓释片", finding.Message);
    }

    // 医疗机构处方审核规范 (prescription.by_visit_doctor)
    [Fact]
    public async Task Indicator_8_prescription_not_by_the_visits_doctor()
    {
        var h = await Hospital.OpenAsync(this);
        await h.RegisterPractitionerAsync("dr-other", Profession.Physician, new LocalDate(2005, 1, 1), ["内科"]);
        await h.VisitAsync(Clean with { Prescriber = "dr-other" });
        await CaughtUpAsync();

        Assert.Contains(await h.FindingsAsync(8), f => f.Code == "prescription.not_visit_doctor" && f.PractitionerId == "dr-other");
    }

    // 互联网诊疗监管细则（试行） (clinical.no_machine_clinician): AI may not generate prescriptions.
    [Fact]
    public async Task Indicator_8_prescription_written_by_an_AI_principal()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { PrescriberRole = Role.Ai });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(8), f => f.Code == "prescription.machine_author");
        Assert.Equal("clinical.no_machine_clinician", finding.RuleId);
    }

    // 中华人民共和国电子签名法 Art. 13 (signature.reliable): signed by someone else, or with a key not valid then.
    [Fact]
    public async Task Indicator_8_signature_by_another_person_or_with_a_revoked_key()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { PrescriptionSigner = h.Pharmacist });
        await h.Append("practitioner", h.Doctor, new Domain.Practitioner.SigningKeyRevoked(h.DoctorKey, "丢失", h.Later(Duration.FromMinutes(1))));
        await h.VisitAsync(Clean);
        await CaughtUpAsync();

        var codes = (await h.FindingsAsync(8)).Select(f => f.Code).Order().ToList();
        Assert.Equal(["signature.key_not_valid", "signature.wrong_signer"], codes);
    }

    // 处方管理办法 Art. 19 (prescription.days_supply): over 7 days without a written reason.
    [Fact]
    public async Task Indicator_11_days_supply_over_the_limit_without_a_reason()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Lines = [Hospital.Amlodipine with { DaysSupply = 30 }] });
        await h.VisitAsync(Clean with { Emergency = true, Lines = [Hospital.Amlodipine with { DaysSupply = 5 }] });
        await CaughtUpAsync();

        var findings = await h.FindingsAsync(11);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal("prescription.days_supply_over_limit", f.Code));
    }

    // 长期处方管理规范（试行）（2021） (prescription.long_term_max_days): 12 weeks even with a reason.
    [Theory]
    [InlineData(84, false)]
    [InlineData(90, true)]
    public async Task Indicator_11_long_term_prescription_over_12_weeks(int days, bool found)
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Lines = [Hospital.Amlodipine with { DaysSupply = days }], LongerSupplyReason = "慢性病长期用药" });
        await CaughtUpAsync();

        Assert.Equal(found ? ["prescription.over_long_term_limit"] : [], (await h.FindingsAsync(11)).Select(f => f.Code));
    }

    // 电子病历应用管理规范 (signature.authoritative_time: 5 min tolerance configured)
    [Theory]
    [InlineData(4, false)]
    [InlineData(60, true)]
    public async Task Indicator_8_signing_time_claimed_far_from_the_authoritative_clock(int minutes, bool found)
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { SignerClockSkew = Duration.FromMinutes(minutes) });
        await CaughtUpAsync();

        Assert.Equal(found ? ["signature.claimed_time_skewed"] : [], (await h.FindingsAsync(8)).Select(f => f.Code));
    }

    // 处方管理办法 (prescription.max_drugs) and Art. 18 (prescription.validity)
    [Fact]
    public async Task Indicator_11_too_many_drugs_and_validity_over_the_limit()
    {
        var h = await Hospital.OpenAsync(this);
        var six = Enumerable.Range(1, 6).Select(i => Hospital.Amlodipine with { Drug = $"药{i}" }).ToList();
        await h.VisitAsync(Clean with { Lines = six, ValidUntil = Hospital.Monday + Duration.FromDays(5) });
        await CaughtUpAsync();

        var codes = (await h.FindingsAsync(11)).Select(f => f.Code).Order().ToList();
        Assert.Equal(["prescription.too_many_drugs", "prescription.validity_over_limit"], codes);
    }

    // 医疗机构处方审核规范 (prescription.reviewer_not_prescriber, reviewer_experienced_pharmacist)
    [Fact]
    public async Task Indicator_12_the_prescriber_reviewed_their_own_prescription()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { Reviewer = h.Doctor });
        await CaughtUpAsync();

        var codes = (await h.FindingsAsync(12)).Select(f => f.Code).Order().ToList();
        Assert.Equal(["prescription.reviewer_is_prescriber", "prescription.reviewer_not_pharmacist"], codes);
    }

    // REGULATION.md indicator 12 (prescription.review_too_fast; a flag only, threshold in the rule book)
    [Fact]
    public async Task Indicator_12_a_review_faster_than_the_threshold()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(Clean with { ReviewAfter = Duration.FromSeconds(10) });
        await h.VisitAsync(Clean with { ReviewAfter = Duration.FromSeconds(30) });
        await CaughtUpAsync();

        var finding = Assert.Single(await h.FindingsAsync(12));
        Assert.Equal("prescription.review_too_fast", finding.Code);
        Assert.Equal(h.Pharmacist, finding.PractitionerId);
    }

    // 医疗机构处方审核规范: a pharmacist with under 3 years of dispensing.
    [Fact]
    public async Task Indicator_12_a_pharmacist_with_too_little_experience()
    {
        var h = await Hospital.OpenAsync(this);
        await h.RegisterPractitionerAsync("ph-new", Profession.Pharmacist, new LocalDate(2025, 1, 1), ["药学"]);
        await h.VisitAsync(Clean with { Reviewer = "ph-new" });
        await CaughtUpAsync();

        Assert.Equal("prescription.reviewer_too_inexperienced", Assert.Single(await h.FindingsAsync(12)).Code);
    }
}
