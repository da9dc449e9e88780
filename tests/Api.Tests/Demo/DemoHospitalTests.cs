using NodaTime;
using Records.Api.Demo;
using Records.Domain.Rules;

namespace Records.Api.Tests.Demo;

public sealed class DemoHospitalTests(WriteSideDatabase db) : IClassFixture<WriteSideDatabase>
{
    private async Task<long> CountAsync(string sql)
    {
        await using var command = db.App.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_demo_loads_once_and_a_second_load_writes_nothing()
    {
        var demo = new DemoHospital(db.Commands, db.Reads, db.Domain, new Regulation(RuleCatalog.Default, new Place("330000", WriteSideDatabase.InstitutionId)),
            SystemClock.Instance);

        Assert.False(await demo.IsLoadedAsync(CancellationToken.None));
        await demo.LoadAsync(CancellationToken.None);
        var events = await CountAsync("select count(*) from eventstore.events");
        Assert.True(await demo.IsLoadedAsync(CancellationToken.None));
        await demo.LoadAsync(CancellationToken.None);

        Assert.Equal(events, await CountAsync("select count(*) from eventstore.events"));
        var states = await CountAsync("""
            select count(distinct event_type) from eventstore.events
            where event_type in ('prescription.drafted.v1', 'prescription.signed.v1', 'prescription.approved.v1', 'prescription.rejected.v1',
                'prescription.handed_off.v1', 'prescription.dispensed.v1', 'prescription.delivered.v1', 'prescription.cancelled.v1')
            """);
        Assert.Equal(8, states);
        Assert.Equal(1, await CountAsync("select count(*) from eventstore.events where event_type = 'document.amended.v1'"));
        Assert.Equal(1, await CountAsync("select count(*) from eventstore.events where event_type = 'document.sealed.v1'"));
        Assert.Equal(1, await CountAsync("select count(*) from eventstore.events where event_type = 'adverse_event.recorded.v1'"));
        Assert.Equal(1, await CountAsync("select count(*) from eventstore.events where event_type = 'consultation.child_safeguards_attested.v1'"));
        Assert.Equal(1, await CountAsync("select count(*) from eventstore.events where stream_type = 'command_rejection' and data->>'code' = 'visit.first_visit_online'"));
        // Planted breaches, flagged on their events for the regulator's view.
        foreach (var rule in new[] { RuleIds.InformedConsentForOnlineVisit, RuleIds.LateSignature, RuleIds.AuthoritativeSigningTime, RuleIds.NoCareRelationship, RuleIds.ReviewTooFast })
        {
            Assert.True(await CountAsync($"select count(*) from eventstore.events, jsonb_array_elements(data->'flags') f where f->>'ruleId' = '{rule}'") > 0, rule);
        }
    }
}
