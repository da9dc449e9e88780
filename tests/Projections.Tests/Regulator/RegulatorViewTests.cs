using NodaTime;
using Records.Domain;
using Records.Domain.AdverseEvent;
using Records.Domain.Consultation;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Projections.Regulator;
using Records.Projections.Runner;

namespace Records.Projections.Tests.Regulator;

/// <summary>The view as a whole: rebuild equality, pseudonymisation, counts, the register and the queries' typed errors.</summary>
public class RegulatorViewTests : RegulatorHarness
{
    private static readonly string[] Tables = ["facts", "obligations", "findings", "practitioners", "practitioner_history", "adverse_events"];

    /// <summary>A history that breaks most rules, over two institutions and several days.</summary>
    private async Task<(Hospital A, Hospital B, List<VisitIds> Visits)> MixedHistoryAsync()
    {
        var a = await Hospital.OpenAsync(this);
        var b = await Hospital.OpenAsync(this, Records.Domain.Rules.RuleCatalog.Ningxia);
        var clean = new VisitPlan();
        VisitPlan[] plans =
        [
            clean, clean with { FirstVisit = true }, clean with { EvidenceIcd10 = [] }, clean with { DiagnosisIcd10 = "E11" }, clean with { ConditionChange = true },
            clean with { PatientBorn = new LocalDate(2023, 1, 1) }, clean with { Verify = false }, clean with { Consent = null },
            clean with { Kind = ConsultationKind.RemoteConsultation, Consent = null }, clean with { ReplyAfter = Duration.FromHours(2) },
            clean with { SupplyBeforeApproval = true }, clean with { SupplyBeforeSigning = true }, clean with { Reviewer = "dr-nobody", ReviewAfter = Duration.FromSeconds(5) },
            clean with { Lines = [Hospital.Amlodipine with { Class = DrugClass.PsychotropicClass2, DaysSupply = 20 }] }, clean with { RecordSignedAfter = null },
        ];
        var visits = new List<VisitIds>();
        foreach (var (plan, i) in plans.Select((p, i) => (p, i)))
        {
            var h = i % 2 == 0 ? a : b;
            visits.Add(await h.VisitAsync(plan));
            await h.ReadAsync(visits[^1].Patient, "dr-nosy", Role.Physician, careRelationship: i % 3 == 0, reason: i % 2 == 0 ? "急诊" : null);
            if (i % 4 == 0)
            {
                var ae = h.NewId("ae");
                await h.Append("adverse_event", ae, new AdverseEventRecorded(ae, visits[^1].Patient, AdverseEventCategory.AdverseDrugReaction, Severity.Mild, "头晕", h.Now, "qm-1",
                    h.Later(Duration.FromMinutes(1))), "qm-1", Role.QualityManager);
                if (i % 8 == 0) await h.Append("adverse_event", ae, new AdverseEventReported("监测系统", "R", h.Later(Duration.FromHours(2)), []), "qm-1", Role.QualityManager);
            }

            if (i % 5 == 0) await h.TimePassesAsync(Duration.FromHours(20));
        }

        await a.Append("practitioner", a.Doctor, new PractitionerSuspended("调查", a.Later(Duration.FromHours(1))));
        await a.Append("practitioner", a.Doctor, new TrainingRecorded("互联网诊疗规范", true, new LocalDate(2026, 11, 20)));
        await a.VisitAsync(clean);
        await a.TimePassesAsync(Duration.FromDays(3));
        return (a, b, visits);
    }

    // Issue 5: incremental result == full rebuild result for the regulator tables (incremental batches of 7 events, rebuild batches of 5,000).
    [Fact]
    public async Task Incremental_view_equals_a_full_rebuild_after_a_larger_mixed_history()
    {
        var (a, b, _) = await MixedHistoryAsync();
        await CaughtUpAsync();
        var incremental = await ChecksumsAsync();
        Assert.True(await Scalar<long>("select count(*) from regulator.findings") > 30, "the history should give many findings");

        await AssertARebuildHoldsTheSameAsync(incremental);
        Assert.NotEmpty(await a.FindingsAsync());
        Assert.NotEmpty(await b.FindingsAsync());
    }

    // Issue 5: the same on a randomized history of the shared generator, appended by concurrent writers.
    [Fact]
    public async Task Incremental_view_equals_a_full_rebuild_after_a_randomized_history()
    {
        var steps = new Records.Testing.Histories.HistoryGenerator(new Records.Testing.Histories.HistoryOptions { Seed = 5, Patients = 150 }).Generate().ToList();
        await Records.Testing.Histories.HistoryWriter.AppendAsync(Store, steps, writers: 4);
        await CaughtUpAsync();
        var incremental = await ChecksumsAsync();
        // The generator's histories break a few rules on purpose or by accident (28 days' supply without a reason, validity
        // to the next UTC 16:00 + 1 day): the view must find them the same way incrementally and rebuilt.
        Assert.True(await Scalar<long>("select count(*) from regulator.findings") > 0, "a randomized history breaks some rules");
        Assert.True(await Scalar<long>("select count(*) from regulator.practitioners") > 0);

        await AssertARebuildHoldsTheSameAsync(incremental);
    }

    // The view keeps facts and open obligations in memory between batches. Another process keeping the same view moves
    // the checkpoint under this one, which must then read the tables again rather than go on from what it remembers.
    [Fact]
    public async Task Two_processes_keeping_the_view_side_by_side_equal_a_rebuild()
    {
        // The other process: its own view object (its own memory), keeping few facts in it, in batches of another size.
        var other = new RegulatorProjection(RegulatorOptions.WithDefaultRules(PseudonymKey) with { FactsKept = 20 });
        await using (var second = new ProjectionRunner(Store, [other], options: new ProjectionRunnerOptions { BatchSize = 5 }))
        {
            await second.StartAsync();
            var steps = new Records.Testing.Histories.HistoryGenerator(new Records.Testing.Histories.HistoryOptions { Seed = 9, Patients = 120 }).Generate().ToList();
            await Records.Testing.Histories.HistoryWriter.AppendAsync(Store, steps, writers: 4);
            await CaughtUpAsync();
        }
        var sideBySide = await ChecksumsAsync();
        Assert.True(await Scalar<long>("select count(*) from regulator.findings") > 0, "a randomized history breaks some rules");

        await AssertARebuildHoldsTheSameAsync(sideBySide);
    }

    // ARCHITECTURE.md Security: regulators see de-identified data by default.
    [Fact]
    public async Task The_default_view_never_holds_a_patients_id_or_name()
    {
        var (a, b, visits) = await MixedHistoryAsync();
        await CaughtUpAsync();

        var everything = string.Join("\n", await Task.WhenAll(Tables.Select(t => Scalar<string>($"select coalesce(string_agg(t::text, E'\\n'), '') from regulator.{t} t"))));
        var findings = System.Text.Json.JsonSerializer.Serialize(await Queries.FindingsAsync(new FindingFilter { Limit = 10_000 }))
            + System.Text.Json.JsonSerializer.Serialize(await Queries.AdverseEventsAsync());
        foreach (var patient in visits.Select(v => v.Patient))
        {
            Assert.DoesNotContain(patient, everything);
            Assert.DoesNotContain(patient, findings);
        }

        Assert.DoesNotContain("张三", everything);
        Assert.Contains(new Pseudonymizer(PseudonymKey).Of(visits[1].Patient), everything);

        // A case opened on one patient finds their findings by id, matched through the pseudonym.
        var firstVisit = await Queries.FindingsAsync(new FindingFilter { PatientId = visits[1].Patient });
        Assert.Contains(firstVisit, f => f.Code == "visit.first_visit_online");
        Assert.All(firstVisit, f => Assert.Equal(new Pseudonymizer(PseudonymKey).Of(visits[1].Patient), f.PatientRef));
    }

    [Fact]
    public async Task Findings_are_counted_per_institution_practitioner_indicator_and_China_day_or_month()
    {
        var h = await Hospital.OpenAsync(this);
        await h.VisitAsync(new VisitPlan { FirstVisit = true });
        await h.VisitAsync(new VisitPlan { FirstVisit = true });
        h.Later(Duration.FromHours(15)); // 2 November, 09:00 China time, to 3 November past midnight
        await h.VisitAsync(new VisitPlan { FirstVisit = true });
        await CaughtUpAsync();

        var filter = new FindingFilter { InstitutionId = h.Id, Indicator = 1 };
        var byDay = await Queries.CountsAsync(filter, CountPeriod.Day);
        Assert.Equal([(new LocalDate(2026, 11, 2), 2L), (new LocalDate(2026, 11, 3), 1L)], byDay.Select(c => (c.PeriodStart, c.Count)));
        Assert.All(byDay, c => Assert.Equal((h.Id, (string?)null, 1), (c.InstitutionId!, c.PractitionerId, c.Indicator.Number)));
        var byMonth = Assert.Single(await Queries.CountsAsync(filter, CountPeriod.Month));
        Assert.Equal((new LocalDate(2026, 11, 1), 3L), (byMonth.PeriodStart, byMonth.Count));

        var byDoctor = await Queries.CountsAsync(new FindingFilter { PractitionerId = h.Doctor }, CountPeriod.Month);
        Assert.Empty(byDoctor); // first visits are the request's finding, before any doctor
    }

    [Fact]
    public async Task The_register_shows_qualification_enrolment_suspension_and_the_verification_history()
    {
        var h = await Hospital.OpenAsync(this);
        var visit = await h.VisitAsync(new VisitPlan());
        await h.Append("practitioner", h.Doctor, new PractitionerSuspended("投诉调查", h.Later(Duration.FromDays(1))));
        await h.Append("practitioner", h.Doctor, new EnrolmentEnded(h.Id, "离职", h.Later(Duration.FromDays(1))));
        await CaughtUpAsync();

        var entry = Assert.Single(await Queries.RegisterAsync(practitionerId: h.Doctor, asOf: Instant.FromUtc(2026, 12, 1, 0, 0)));
        Assert.Equal((Profession.Physician.ToString(), "主治医师", "Intermediate", $"REG-{h.Doctor}", new LocalDate(2010, 7, 1), 16, true),
            (entry.Profession, entry.Title, entry.TitleGrade, entry.RegistryNumber, entry.PracticeSince, entry.PracticeYears, entry.Suspended));
        var enrolment = Assert.Single(entry.Enrolments);
        Assert.Equal((h.Id, "Registered", "内科"), (enrolment.InstitutionId, enrolment.Kind, Assert.Single(enrolment.Scope)));
        Assert.NotNull(enrolment.EndedAt);
        Assert.Equal(["registered", "registered_here", "signing_key_registered", "real_name_verified", "suspended", "enrolment_ended"], entry.History.Select(e => e.Kind));
        Assert.Contains(visit.Consultation, entry.History[3].Detail);
        Assert.True(entry.History.Zip(entry.History.Skip(1)).All(p => p.First.Event.Sequence < p.Second.Event.Sequence));

        var atInstitution = await Queries.RegisterAsync(institutionId: h.Id);
        Assert.Equal(new[] { h.Doctor, h.Pharmacist }.Order(StringComparer.Ordinal), atInstitution.Select(e => e.PractitionerId));
        Assert.Equal(16, atInstitution[0].PracticeYears); // as of the log's own time, November 2026
    }

    [Fact]
    public async Task Bad_queries_get_a_typed_error_with_a_code()
    {
        var indicator = await Assert.ThrowsAsync<RegulatorQueryException>(() => Queries.FindingsAsync(new FindingFilter { Indicator = 22 }));
        Assert.Equal("regulator.unknown_indicator", indicator.Code);
        var period = await Assert.ThrowsAsync<RegulatorQueryException>(() => Queries.CountsAsync(new FindingFilter { From = Hospital.Monday, To = Hospital.Monday }, CountPeriod.Day));
        Assert.Equal("regulator.bad_period", period.Code);
        var limit = await Assert.ThrowsAsync<RegulatorQueryException>(() => Queries.FindingsAsync(new FindingFilter { Limit = 0 }));
        Assert.Equal("regulator.bad_limit", limit.Code);
        Assert.Throws<ArgumentException>(() => new Pseudonymizer(new byte[16]));
    }

    /// <summary>Rebuilds the view from zero: it must hold what it held when kept batch by batch (<paramref name="kept"/>).</summary>
    private async Task AssertARebuildHoldsTheSameAsync(string[] kept)
    {
        await Runner.RebuildAsync(RegulatorProjection.SchemaName);
        await CaughtUpAsync();
        Assert.Equal(kept, await ChecksumsAsync());
    }

    private async Task<string[]> ChecksumsAsync() =>
        await Task.WhenAll(Tables.Select(t => Scalar<string>($"select coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from regulator.{t} t")));
}
