namespace Records.Domain.Tests.Rules;

using System.Reflection;

public class RuleBookTests
{
    private static readonly RuleBook Book = RuleCatalog.Default;

    [Fact]
    public void Every_rule_id_the_domain_uses_is_configured_with_its_source_and_all_but_province_rules_nationally()
    {
        var ids = typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

        Assert.Equal(ids.Order(), Book.Rules.Select(r => r.Id).Distinct().Order());
        Assert.All(Book.Rules, rule => Assert.False(string.IsNullOrWhiteSpace(rule.Source) || string.IsNullOrWhiteSpace(rule.Summary), rule.Id));
        Assert.Equal([RuleIds.PractitionerMinTitle, RuleIds.PractitionerCleanRecord], ids.Where(id => Book.Find(id, Zhejiang, T0) is null));
    }

    [Fact]
    public void No_rule_is_in_force_before_the_2018_measures()
    {
        Assert.Null(Book.Find(RuleIds.NoOnlineFirstVisit, Zhejiang, Instant.FromUtc(2018, 1, 1, 0, 0)));
    }

    // 互联网诊疗管理办法（试行） Art. 25 (3 years) and the Ningxia standard (5 years).
    [Fact]
    public void A_province_variant_overrides_the_national_rule_in_that_province_only()
    {
        Assert.Equal(5, Book.Find(RuleIds.PractitionerMinPracticeYears, Ningxia, T0)!.Parameter<MinimumYears>().Years);
        Assert.Equal(3, Book.Find(RuleIds.PractitionerMinPracticeYears, Zhejiang, T0)!.Parameter<MinimumYears>().Years);
    }

    [Fact]
    public void The_Beijing_paediatric_first_visit_pilot_holds_in_Beijing_during_2026_only()
    {
        var inPilot = Book.Find(RuleIds.NoOnlineFirstVisit, Beijing, T0)!;
        Assert.True(inPilot.Parameter<FirstVisitPolicy>().Pilot!.Covers("儿科", 5));
        Assert.False(inPilot.Parameter<FirstVisitPolicy>().Pilot!.Covers("内科", 5));
        Assert.False(inPilot.Parameter<FirstVisitPolicy>().Pilot!.Covers("儿科", 18));

        Assert.Null(Book.Find(RuleIds.NoOnlineFirstVisit, Zhejiang, T0)!.Parameter<FirstVisitPolicy>().Pilot);
        Assert.Null(Book.Find(RuleIds.NoOnlineFirstVisit, Beijing, Instant.FromUtc(2027, 1, 1, 0, 0))!.Parameter<FirstVisitPolicy>().Pilot);
        Assert.Null(Book.Find(RuleIds.NoOnlineFirstVisit, Beijing, Instant.FromUtc(2025, 12, 31, 15, 59))!.Parameter<FirstVisitPolicy>().Pilot);
    }

    [Fact]
    public void An_institution_rule_overrides_the_province_and_national_ones()
    {
        var own = new Rule(RuleIds.MaxDrugs, "本院处方管理制度", Confidence.Verified, Jurisdiction.Institution(Hospital), new Interval(T0, null),
            RuleKind.Stops, new MaximumDrugs(4), "At most 4 drugs here.");
        var book = Book.With(own);

        Assert.Equal(4, book.Find(RuleIds.MaxDrugs, Zhejiang, T0)!.Parameter<MaximumDrugs>().Drugs);
        Assert.Equal(5, book.Find(RuleIds.MaxDrugs, new Place("330000", "ih-other"), T0)!.Parameter<MaximumDrugs>().Drugs);
        Assert.Equal(5, book.Find(RuleIds.MaxDrugs, Zhejiang, T0.Minus(Duration.FromSeconds(1)))!.Parameter<MaximumDrugs>().Drugs);
    }

    [Fact]
    public void Two_variants_for_one_jurisdiction_cannot_overlap_but_may_follow_each_other()
    {
        Rule Variant(Instant from, Instant? to) => new("x.rule", "src", Confidence.Unconfirmed, Jurisdiction.Province("110000"), new Interval(from, to),
            RuleKind.Flags, NoParameters.Instance, "x");
        var mid = T0.Plus(Duration.FromDays(30));

        Assert.Throws<ArgumentException>(() => new RuleBook([Variant(T0, null), Variant(mid, null)]));
        var book = new RuleBook([Variant(T0, mid), Variant(mid, null) with { Kind = RuleKind.Stops }]);
        Assert.Equal(RuleKind.Flags, book.Find("x.rule", Beijing, T0)!.Kind);
        Assert.Equal(RuleKind.Stops, book.Find("x.rule", Beijing, mid)!.Kind);
    }

    [Fact]
    public void Findings_stop_on_a_stopping_rule_flag_on_a_flagging_rule_and_ignore_a_rule_not_in_force()
    {
        var findings = new Findings(Regulation(), T0);
        findings.Breach(RuleIds.ReviewTooFast, "a.flag", "flagged");
        Assert.Null(findings.Rejection);
        Assert.Equal(RuleIds.ReviewTooFast, Assert.Single(findings.Flags).RuleId);

        findings.Breach("no.such.rule", "ignored", "ignored");
        Assert.Null(findings.Rejection);

        findings.Breach(RuleIds.MaxDrugs, "first.stop", "stopped");
        findings.Breach(RuleIds.NoControlledDrugsOnline, "second.stop", "stopped");
        Assert.Equal("first.stop", findings.Rejection!.Code);
        Assert.Equal(RuleIds.MaxDrugs, findings.Rejection.Rule!.Id);
    }

    [Fact]
    public void A_rule_asked_for_the_wrong_parameters_says_so()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Book.Find(RuleIds.MaxDrugs, Zhejiang, T0)!.Parameter<MinimumYears>());
        Assert.Contains(RuleIds.MaxDrugs, error.Message);
    }
}
