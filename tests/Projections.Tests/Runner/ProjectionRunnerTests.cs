using System.Text;
using Npgsql;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Projections.Runner;
using Records.Testing;

namespace Records.Projections.Tests.Runner;

public class ProjectionRunnerTests : IAsyncLifetime
{
    private readonly EventStoreDatabase _database = new();
    private PostgresEventStore _store = null!;
    private Sequencer _sequencer = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await ProjectionRunner.MigrateAsync(_database.Admin);
        _store = new PostgresEventStore(_database.App);
        _sequencer = new Sequencer(_database.App);
        _sequencer.Start();
    }

    public async Task DisposeAsync()
    {
        await _sequencer.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_view_follows_the_log_and_its_checkpoint_reaches_the_head()
    {
        await AppendHistory(streams: 10, commands: 60);
        await using var runner = new ProjectionRunner(_store, [new StreamCounter("counts")]);
        await runner.StartAsync();
        await AppendHistory(streams: 10, commands: 60, prefix: "later");

        var status = await WaitUntilCaughtUp(runner, "counts");
        Assert.Equal("running", status.State);
        Assert.Equal(await EventCount(), await SumOfCounts("counts"));
    }

    [Fact]
    public async Task A_runner_stopped_in_the_middle_of_a_batch_and_restarted_ends_as_an_uninterrupted_run()
    {
        await AppendHistory(streams: 8, commands: 50);
        var slow = new StreamCounter("counts") { PausePerEvent = TimeSpan.FromMilliseconds(2) };
        var first = new ProjectionRunner(_store, [slow], options: new ProjectionRunnerOptions { BatchSize = 100 });
        await first.StartAsync(); // builds the view from what is there
        await AppendHistory(streams: 8, commands: 300, prefix: "live");
        await Task.Delay(300);
        await first.DisposeAsync(); // cancels the batch in flight: its transaction rolls back
        var stoppedAt = (await new ProjectionRunner(_store, [slow]).StatusAsync()).Single().Position;
        Assert.True(stoppedAt < await _store.ReadHeadAsync(), "the runner should have been stopped before the end");

        slow.PausePerEvent = TimeSpan.Zero;
        await using var second = new ProjectionRunner(_store, [slow]);
        await second.StartAsync();
        await WaitUntilCaughtUp(second, "counts");
        var incremental = await Checksum("counts");

        await second.RebuildAsync("counts");
        Assert.Equal(incremental, await Checksum("counts"));
        Assert.Equal(await EventCount(), await SumOfCounts("counts"));
    }

    [Fact]
    public async Task Two_runners_of_one_view_side_by_side_apply_each_event_once()
    {
        await AppendHistory(streams: 10, commands: 40);
        var errors = new List<Exception>();
        var options = new ProjectionRunnerOptions { BatchSize = 7, OnError = (_, e) => { lock (errors) errors.Add(e); } };
        await using var first = new ProjectionRunner(_store, [new StreamCounter("counts")], options: options);
        await first.StartAsync();
        await using var second = new ProjectionRunner(_store, [new StreamCounter("counts")], options: options);
        await second.StartAsync();
        // Both follow the same checkpoint while the log grows: each batch commits through one of them only.
        await Task.WhenAll(AppendHistory(streams: 10, commands: 300, prefix: "a"), AppendHistory(streams: 10, commands: 300, prefix: "b"));

        await WaitUntilCaughtUp(first, "counts");
        Assert.Empty(errors);
        Assert.Equal(await EventCount(), await SumOfCounts("counts"));
        var incremental = await Checksum("counts");
        await first.RebuildAsync("counts");
        Assert.Equal(incremental, await Checksum("counts"));
    }

    [Fact]
    public async Task Views_started_together_commit_each_batch_of_the_log_in_one_transaction()
    {
        await using var runner = new ProjectionRunner(_store, [new StreamCounter("counts"), new StreamCounter("totals")]);
        await runner.StartAsync();
        await AppendHistory(streams: 10, commands: 60);

        await WaitUntilCaughtUp(runner, "counts");
        await WaitUntilCaughtUp(runner, "totals");
        Assert.Equal(await Checksum("counts"), await Checksum("totals"));
        // The last batch moved both checkpoints: in one transaction, so the rows' versions share its id.
        Assert.Equal(1L, await Scalar<long>("select count(distinct xmin::text) from projections.checkpoints where projection in ('counts', 'totals')"));
    }

    [Fact]
    public async Task Views_at_different_checkpoints_follow_the_log_together_each_from_its_own()
    {
        await AppendHistory(streams: 10, commands: 40);
        await using (var first = new ProjectionRunner(_store, [new StreamCounter("counts")]))
        {
            await first.StartAsync();
            await WaitUntilCaughtUp(first, "counts");
        }
        await AppendHistory(streams: 10, commands: 60, prefix: "while-stopped");

        // "totals" is built to the head at start, "counts" is 60 commands behind: one loop follows the log for both.
        await using var runner = new ProjectionRunner(_store, [new StreamCounter("counts"), new StreamCounter("totals")], options: new ProjectionRunnerOptions { BatchSize = 13 });
        await runner.StartAsync();
        var writing = AppendHistory(streams: 10, commands: 100, prefix: "live");
        await runner.RebuildAsync("totals"); // its checkpoint moves under the loop
        await writing;

        await WaitUntilCaughtUp(runner, "counts");
        await WaitUntilCaughtUp(runner, "totals");
        Assert.Equal(await EventCount(), await SumOfCounts("counts"));
        Assert.Equal(await Checksum("counts"), await Checksum("totals"));
    }

    [Fact]
    public async Task A_poisoned_event_stops_only_its_view_with_a_status_that_names_it()
    {
        await AppendHistory(streams: 3, commands: 20);
        var poisoned = new StreamCounter("fragile") { PoisonType = "poison.v1" };
        await using var runner = new ProjectionRunner(_store, [new StreamCounter("sturdy"), poisoned]);
        await runner.StartAsync();
        var poison = await _store.AppendAsync("victim", "t", ExpectedVersion.Any, [new EventData("poison.v1", "{}"u8.ToArray())], EventMetadata.None);
        await AppendHistory(streams: 3, commands: 20, prefix: "after");

        await WaitUntilCaughtUp(runner, "sturdy");
        var fragile = await WaitFor(async () => (await runner.StatusAsync()).Single(s => s.Name == "fragile") is { State: "failed" } s ? s : null);
        var poisonSequence = (await _store.ReadStreamAsync("victim").SingleAsync()).Sequence;
        Assert.Equal(poison.Events[0].EventId, fragile.FailedEventId);
        Assert.Equal(poisonSequence, fragile.FailedSequence);
        Assert.Equal(poisonSequence - 1, fragile.Position);
        Assert.Contains("cannot apply poison.v1", fragile.Error);

        // Mended, the view is rebuilt and starts again.
        poisoned.PoisonType = null;
        await runner.RebuildAsync("fragile");
        Assert.Equal("running", (await WaitUntilCaughtUp(runner, "fragile")).State);
        Assert.Equal(await Checksum("sturdy"), await Checksum("fragile"));
    }

    [Fact]
    public async Task A_view_stopped_and_rebuilt_while_its_loop_still_applies_the_others_follows_the_log_again()
    {
        await AppendHistory(streams: 3, commands: 10);
        var fragile = new StreamCounter("fragile") { PoisonType = "poison.v1" };
        var slow = new StreamCounter("slow");
        await using var runner = new ProjectionRunner(_store, [fragile, slow]);
        await runner.StartAsync();
        slow.PausePerEvent = TimeSpan.FromMilliseconds(200);
        // The batch fails together; alone, "fragile" stops at once while "slow" takes 4 s to apply its 20 events.
        await _store.AppendAsync("victim", "t", ExpectedVersion.Any,
            [new EventData("poison.v1", "{}"u8.ToArray()), .. Enumerable.Range(0, 19).Select(_ => new EventData("thing.a.v1", "{}"u8.ToArray()))], EventMetadata.None);
        await WaitFor(async () => (await runner.StatusAsync()).Single(s => s.Name == "fragile") is { State: "failed" } s ? s : null);

        fragile.PoisonType = null;
        await runner.RebuildAsync("fragile"); // ends while the loop is still applying "slow"
        slow.PausePerEvent = TimeSpan.Zero;
        await AppendHistory(streams: 3, commands: 10, prefix: "after");

        await WaitUntilCaughtUp(runner, "fragile");
        await WaitUntilCaughtUp(runner, "slow");
        Assert.Equal(await Checksum("slow"), await Checksum("fragile"));
    }

    [Fact]
    public async Task A_rebuild_beside_the_live_view_reports_progress_and_swaps_in_the_same_rows()
    {
        await AppendHistory(streams: 20, commands: 400);
        await using var runner = new ProjectionRunner(_store, [new StreamCounter("counts")], options: new ProjectionRunnerOptions { RebuildBatchSize = 100 });
        await runner.StartAsync();
        await WaitUntilCaughtUp(runner, "counts");
        var before = await Checksum("counts");

        var reports = new List<RebuildProgress>();
        var writing = AppendHistory(streams: 5, commands: 100, prefix: "during");
        await runner.RebuildAsync("counts", new SynchronousProgress(reports));
        await writing;
        await WaitUntilCaughtUp(runner, "counts");

        Assert.True(reports.Count >= 3, "progress is reported batch by batch");
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.EventsDone >= p.First.EventsDone));
        Assert.NotEqual(before, await Checksum("counts"));
        Assert.Equal(await EventCount(), await SumOfCounts("counts"));
        await runner.RebuildAsync("counts");
        Assert.Equal(await Checksum("counts"), await ChecksumAfterRebuild(runner));
    }

    [Fact]
    public async Task A_rebuild_creates_the_views_indexes_once_its_rows_are_loaded_before_the_swap()
    {
        await AppendHistory(streams: 12, commands: 200);
        var counter = new StreamCounter("counts") { IndexedByType = true };
        await using var runner = new ProjectionRunner(_store, [counter], options: new ProjectionRunnerOptions { RebuildBatchSize = 50 });
        await runner.StartAsync(); // the first build is a rebuild too
        await WaitUntilCaughtUp(runner, "counts");
        await AppendHistory(streams: 15, commands: 60, prefix: "more");
        await WaitUntilCaughtUp(runner, "counts");

        await runner.RebuildAsync("counts");

        Assert.Equal([12, 27], counter.RowsWhenIndexed);
        Assert.Equal(2, counter.Rebuilds); // told at each swap (a view that keeps state between batches lets it go)
        Assert.Equal("CREATE INDEX streams_by_type ON counts.streams USING btree (last_type)",
            await Scalar<string>("select indexdef from pg_indexes where schemaname = 'counts' and indexname = 'streams_by_type'"));
        Assert.Equal(await EventCount(), await SumOfCounts("counts"));
    }

    [Fact]
    public async Task A_rebuild_reads_only_the_parts_of_events_its_view_uses_and_the_live_views_share_whole_events()
    {
        var metadata = new EventMetadata { Actor = new Actor("dr-1", "physician", true), InstitutionId = "inst-1", PurposeOfUse = "treatment" };
        await _store.AppendAsync("s-1", "thing", ExpectedVersion.Any, [new EventData("thing.a.v1", Encoding.UTF8.GetBytes("{\"i\":1}"))], metadata);
        var bare = new StreamCounter("bare") { Reads = EventParts.None };
        var withMetadata = new StreamCounter("with_metadata") { Reads = EventParts.Metadata };
        var whole = new StreamCounter("whole");
        while (await _store.ReadHeadAsync() < 1) await Task.Delay(10); // numbered, so that the build reads it
        await using var runner = new ProjectionRunner(_store, [bare, withMetadata, whole]);
        await runner.StartAsync(); // builds each view: a rebuild
        await WaitUntilCaughtUp(runner, "whole");
        await _store.AppendAsync("s-1", "thing", ExpectedVersion.Any, [new EventData("thing.b.v1", Encoding.UTF8.GetBytes("{\"i\":2}"))], metadata);
        foreach (var name in new[] { "bare", "with_metadata", "whole" }) await WaitUntilCaughtUp(runner, name);

        var full = await _store.ReadAllAsync(0, 10);
        Assert.Equal(2, full.Count);
        foreach (var view in new[] { bare, withMetadata, whole })
        {
            Assert.Equal(full.Select(e => e.EventId), view.Seen.Select(e => e.EventId)); // the first built, the second live
            var live = view.Seen[1];
            Assert.Equal(full[1] with { PreviousHash = live.PreviousHash, Hash = live.Hash }, live);
            Assert.Equal(full[1].Hash, live.Hash);
        }
        foreach (var view in new[] { bare, withMetadata })
        {
            var built = view.Seen[0];
            Assert.Equal(full[0] with { Metadata = built.Metadata, HashAlgorithm = "", PreviousHash = built.PreviousHash, Hash = built.Hash }, built);
            Assert.Empty(built.Hash);
            Assert.Empty(built.PreviousHash);
        }
        Assert.Equal(new EventMetadata(), bare.Seen[0].Metadata);
        Assert.Equal(full[0].Metadata, withMetadata.Seen[0].Metadata);
        Assert.Equal(full[0].Hash, whole.Seen[0].Hash);
    }

    [Fact]
    public async Task An_inline_view_is_current_when_the_append_returns_and_a_failing_one_stops_the_append()
    {
        var inline = new StreamCounter("status_now");
        await using var runner = new ProjectionRunner(_store, [], [inline]);
        await runner.StartAsync();
        var store = new PostgresEventStore(_database.App, inline: ProjectionRunner.Inline([inline]));

        await store.AppendAsync("rx-1", "rx", ExpectedVersion.Any, [new EventData("drafted.v1", "{}"u8.ToArray()), new EventData("signed.v1", "{}"u8.ToArray())], EventMetadata.None);
        Assert.Equal("signed.v1", await Scalar<string>("select last_type from status_now.streams where stream_id = 'rx-1'"));
        Assert.Equal(2, await Scalar<int>("select events from status_now.streams where stream_id = 'rx-1'"));

        inline.PoisonType = "broken.v1";
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.AppendAsync("rx-1", "rx", ExpectedVersion.Any, [new EventData("broken.v1", "{}"u8.ToArray())], EventMetadata.None));
        Assert.Equal(2, await _store.ReadStreamAsync("rx-1").CountAsync());

        // Rebuilt from the log, the inline view has the same rows.
        inline.PoisonType = null;
        var live = await Checksum("status_now", withSequence: false);
        await runner.RebuildAsync("status_now");
        Assert.Equal(live, await Checksum("status_now", withSequence: false));
    }

    private async Task<string> ChecksumAfterRebuild(ProjectionRunner runner)
    {
        await runner.RebuildAsync("counts");
        return await Checksum("counts");
    }

    private async Task AppendHistory(int streams, int commands, string prefix = "s")
    {
        for (var i = 0; i < commands; i++)
        {
            var events = Enumerable.Range(0, 1 + i % 3).Select(n => new EventData($"thing.{(char)('a' + (i + n) % 5)}.v1", Encoding.UTF8.GetBytes($"{{\"i\":{i}}}"))).ToArray();
            await _store.AppendAsync($"{prefix}-{i % streams}", "thing", ExpectedVersion.Any, events, EventMetadata.None);
        }
    }

    private async Task<ProjectionStatus> WaitUntilCaughtUp(ProjectionRunner runner, string name) =>
        await WaitFor(async () =>
        {
            // First everything numbered, then the view at the head read after that.
            var unsequenced = await Scalar<long>("select (select count(*) from eventstore.events) - (select count(*) from eventstore.global_log)");
            var status = (await runner.StatusAsync()).Single(s => s.Name == name);
            return unsequenced == 0 && status.Position == status.Head && status.State != "failed" ? status : null;
        });

    private async Task<long> EventCount() => await Scalar<long>("select count(*) from eventstore.events where event_type <> 'poison.v1'");

    private async Task<long> SumOfCounts(string schema) => await Scalar<long>($"select coalesce(sum(events), 0) from {schema}.streams");

    private async Task<string> Checksum(string schema, bool withSequence = true) => await Scalar<string>(
        $"select coalesce(md5(string_agg(stream_id || ':' || events || ':' || last_type{(withSequence ? " || ':' || last_sequence" : "")}, ',' order by stream_id)), '') from {schema}.streams");

    private async Task<T> Scalar<T>(string sql)
    {
        await using var command = _database.Admin.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<T> WaitFor<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(25);
        }
        throw new TimeoutException("The condition was not met within 60 s.");
    }

    private sealed class SynchronousProgress(List<RebuildProgress> reports) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => reports.Add(value);
    }
}
