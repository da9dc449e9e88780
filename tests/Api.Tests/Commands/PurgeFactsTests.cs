using Records.Api.Tests.Access;
using Records.Domain;
using Records.Domain.Retention;
using Records.Domain.Rules;
using static Records.Api.Tests.WriteSideDatabase;

namespace Records.Api.Tests.Commands;

/// <summary>The host finds the record a purge names and when its retention began (DecisionFacts.PurgeAsync).</summary>
public sealed class PurgeFactsTests(WriteSideDatabase db) : IClassFixture<WriteSideDatabase>
{
    private readonly Clinic _clinic = new(db.Commands);

    // 互联网诊疗监管细则: a visit's chat, audio and video are kept 3 years; an open visit has not started its period.
    [Fact]
    public async Task Purging_an_open_visits_media_is_stopped_with_the_day_it_may_go()
    {
        await _clinic.InstitutionAsync();
        var visit = await _clinic.OpenConsultationAsync(await _clinic.PatientAsync(Clinic.NewId("pt-")), await _clinic.PhysicianAsync(Clinic.NewId("dr-")));
        var purge = Clinic.NewId("purge-");

        var outcome = await db.Commands.ExecuteAsync(purge, new PurgeRecord(Meta("admin-1", Role.Administrator), purge, RetainedRecordKind.ConsultationMedia, visit, "清理"));

        Assert.Equal("purge.before_retention_period", outcome.Rejection?.Code);
        Assert.Equal(RuleIds.RetentionConsultationMedia, outcome.Rejection!.Rule!.Id);
        var threeYearsOn = Domain.ChinaTime.DateOf(NodaTime.SystemClock.Instance.GetCurrentInstant()).PlusYears(3);
        Assert.Contains(threeYearsOn.ToString("yyyy-MM-dd", null), outcome.Rejection.Message);
    }

    [Fact]
    public async Task Purging_a_record_that_does_not_exist_is_refused()
    {
        var purge = Clinic.NewId("purge-");
        var outcome = await db.Commands.ExecuteAsync(purge, new PurgeRecord(Meta("admin-1", Role.Administrator), purge, RetainedRecordKind.Prescription, "rx-none", "清理"));
        Assert.Equal("prescription.not_found", outcome.Rejection?.Code);
    }
}
