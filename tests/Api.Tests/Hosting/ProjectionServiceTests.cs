using Microsoft.Extensions.DependencyInjection;
using Records.Api.Commands;
using Records.Api.Hosting;
using Records.Api.Tests.Access;
using Records.Projections.Emr;

namespace Records.Api.Tests.Hosting;

public sealed class ProjectionServiceTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>
{
    private ProjectionService Views => host.Host.App.Services.GetRequiredService<ProjectionService>();

    [Fact]
    public async Task The_host_runs_every_view_and_a_read_can_wait_until_a_view_holds_a_write()
    {
        var clinic = new Clinic(host.Host.App.Services.GetRequiredService<CommandExecutor>());
        await clinic.InstitutionAsync();
        var patient = await clinic.PatientAsync(Clinic.NewId("pt-"));
        var head = await host.Host.App.Services.GetRequiredService<Records.EventStore.PostgresEventStore>().ReadHeadAsync();

        foreach (var view in new[] { ProjectionService.Emr, ProjectionService.Access, ProjectionService.Traceability, ProjectionService.Regulator })
            Assert.True(await Views.WaitForAsync(view, head, TimeSpan.FromSeconds(20), CancellationToken.None), $"{view} did not reach {head}");

        Assert.NotNull(await host.Host.App.Services.GetRequiredService<EmrQueries>().PatientAsync(patient.Id));
        // The views can pass the head a moment before their start has finished (the last one's loop begins after its build).
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !Views.Started && DateTime.UtcNow < deadline;) await Task.Delay(20);
        Assert.True(Views.Started);
        var statuses = await Views.StatusAsync();
        Assert.Equal(["access", "emr", "regulator", "traceability"], statuses.Select(s => s.Name).Order());
        Assert.All(statuses, s =>
        {
            Assert.Equal("running", s.State);
            Assert.True(s.Checkpoint >= head);
            Assert.False(s.IsFailed);
        });
    }

    [Fact]
    public async Task The_host_follows_the_log_once_for_its_views_and_feeds_and_its_sequencer_hands_the_batches_over()
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !Views.Started && DateTime.UtcNow < deadline;) await Task.Delay(20);
        Assert.True(Views.Started);
        var sequencer = host.Host.App.Services.GetRequiredService<SequencerService>();
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !sequencer.IsLeader && DateTime.UtcNow < deadline;) await Task.Delay(20);
        Assert.True(sequencer.IsLeader);

        // One connection listens for the sequencer's batches: the log tail the views, the feeds and the waiters share.
        await using (var listening = host.Admin.CreateCommand(
            $"select count(*) from pg_stat_activity where datname = current_database() and query = 'listen {Records.EventStore.Sequencing.Sequencer.SequencedChannel}'"))
            Assert.Equal(1L, (long)(await listening.ExecuteScalarAsync())!);

        // Its sequencer leads, so the tail takes each batch from it and does not read the log back.
        var tail = host.Host.App.Services.GetRequiredService<Records.EventStore.LogTail>();
        var clinic = new Clinic(host.Host.App.Services.GetRequiredService<CommandExecutor>());
        await clinic.InstitutionAsync();
        var readsBefore = tail.LogReads;
        for (var i = 0; i < 10; i++) await clinic.PatientAsync(Clinic.NewId("pt-"));
        var head = await host.Host.App.Services.GetRequiredService<Records.EventStore.PostgresEventStore>().ReadHeadAsync();
        Assert.True(await Views.WaitForAsync(ProjectionService.Emr, head, TimeSpan.FromSeconds(20), CancellationToken.None));
        Assert.True(tail.LogReads - readsBefore < 5, $"the tail read the log {tail.LogReads - readsBefore} times for ten commands");
    }

    [Fact]
    public async Task Waiting_for_an_event_the_log_does_not_hold_yet_gives_up_after_the_timeout()
    {
        var head = await host.Host.App.Services.GetRequiredService<Records.EventStore.PostgresEventStore>().ReadHeadAsync();
        var started = DateTime.UtcNow;

        Assert.False(await Views.WaitForAsync(ProjectionService.Emr, head + 1_000_000, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }
}
