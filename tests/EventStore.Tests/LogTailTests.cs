using Npgsql;
using Records.EventStore.Sequencing;
using Records.Testing;

namespace Records.EventStore.Tests;

/// <summary>The shared live end of the log: what each subscriber sees must equal the log, whoever reads it.</summary>
public class LogTailTests : IAsyncLifetime
{
    private readonly EventStoreDatabase _database = new();
    private PostgresEventStore _store = null!;
    private Sequencer _sequencer = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new PostgresEventStore(_database.App);
        _sequencer = new Sequencer(_database.App, options: new SequencerOptions { RetryDelay = TimeSpan.FromMilliseconds(100), FollowerPollInterval = TimeSpan.FromMilliseconds(100) });
        _sequencer.Start();
    }

    public async Task DisposeAsync()
    {
        await _sequencer.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Subscribers_from_behind_the_tail_and_at_its_head_see_the_log_once_in_order()
    {
        // 100 events before the tail starts; it keeps only 16, so early subscribers read the log first.
        for (var i = 0; i < 50; i++) await _store.AppendAsync($"before-{i % 5}", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
        await WaitForHead(100);
        await using var tail = new LogTail(_store, new LogTailOptions { Capacity = 16, BatchSize = 7 });
        await tail.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        const int total = 100 + 6 * 30 * 2;
        var fromStart = Collect(tail, 0, total, timeout.Token);
        var fromMiddle = Collect(tail, 60, total - 60, timeout.Token);
        var fromHead = Collect(tail, 100, total - 100, timeout.Token);
        await Task.WhenAll(Enumerable.Range(0, 6).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++) await _store.AppendAsync($"live-{writer}", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
        })));
        await WaitForHead(total);

        var log = await _store.ReadAllAsync(0, total + 10);
        Assert.Equal(total, log.Count);
        Assert.Equal(log.Select(e => e.EventId), (await fromStart).Select(e => e.EventId));
        Assert.Equal(log.Skip(60).Select(e => e.EventId), (await fromMiddle).Select(e => e.EventId));
        Assert.Equal(log.Skip(100).Select(e => e.EventId), (await fromHead).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_subscriber_slower_than_the_tail_falls_back_to_the_log_without_losing_or_repeating()
    {
        await using var tail = new LogTail(_store, new LogTailOptions { Capacity = 8 });
        await tail.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<RecordedEvent>();
        var slow = Task.Run(async () =>
        {
            await foreach (var batch in tail.SubscribeBatchesAsync(0, batchSize: 3, timeout.Token))
            {
                seen.AddRange(batch);
                if (seen.Count >= 120) return;
                await Task.Delay(20, timeout.Token); // long enough for the tail to move past it
            }
        });
        for (var i = 0; i < 40; i++) await _store.AppendAsync($"s-{i % 4}", "s", ExpectedVersion.Any, Events.Some(3), EventMetadata.None);
        await slow;

        Assert.Equal(Enumerable.Range(1, 120).Select(s => (long)s), seen.Select(e => e.Sequence!.Value));
        Assert.Equal((await _store.ReadAllAsync(0, 200)).Select(e => e.EventId), seen.Select(e => e.EventId));
    }

    [Fact]
    public async Task When_the_tail_loses_its_connection_subscribers_still_get_every_event()
    {
        var errors = new List<Exception>();
        await using var tail = new LogTail(_store, new LogTailOptions
            { RetryDelay = TimeSpan.FromMilliseconds(100), IdleCheckInterval = TimeSpan.FromMilliseconds(500), OnError = e => { lock (errors) errors.Add(e); } });
        await tail.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var subscriber = Collect(tail, 0, 40, timeout.Token);
        for (var i = 0; i < 10; i++) await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
        await WaitForHead(20);

        // Every connection of the application to this database (the tail's, the sequencer's) is cut; other tests' databases are left alone.
        await using (var cut = _database.Admin.CreateCommand(
            "select pg_terminate_backend(pid) from pg_stat_activity where usename = $1 and datname = current_database() and pid <> pg_backend_pid()"))
        {
            cut.Parameters.Add(new() { Value = EventStoreDatabase.AppLogin });
            await cut.ExecuteNonQueryAsync();
        }
        _database.App.Clear(); // the idle ones were cut too
        for (var i = 0; i < 10; i++)
        {
            // A pooled connection in use during the cut can still come back with its server process gone: the append on
            // it fails, and the same command (its id makes it once only) is appended again.
            var command = EventMetadata.None with { CommandId = Guid.NewGuid() };
            Task Append() => _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(2), command);
            try
            {
                await Append();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.AdminShutdown)
            {
                await Append();
            }
        }

        Assert.Equal(Enumerable.Range(1, 40).Select(s => (long)s), (await subscriber).Select(e => e.Sequence!.Value));
        Assert.NotEmpty(errors); // it did lose its connection, and came back
        await WaitFor(async () => (await tail.ReadAsync(39, 1)).Count == 1); // following again
    }

    [Fact]
    public async Task Reads_answer_from_memory_or_the_log_alike()
    {
        for (var i = 0; i < 10; i++) await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(3), EventMetadata.None);
        await WaitForHead(30);
        await using var tail = new LogTail(_store, new LogTailOptions { Capacity = 10 });
        await tail.StartAsync();
        for (var i = 0; i < 10; i++) await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(3), EventMetadata.None);
        await WaitForHead(60);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Collect(tail, 59, 1, timeout.Token); // the tail has caught up to the head

        foreach (var (after, count) in new[] { (0L, 25), (45L, 10), (50L, 100), (60L, 5) })
        {
            var fromTail = await tail.ReadAsync(after, count);
            var fromLog = await _store.ReadAllAsync(after, count);
            Assert.Equal(fromLog.Select(e => (e.EventId, e.Sequence)), fromTail.Select(e => (e.EventId, e.Sequence)));
        }
    }

    [Fact]
    public async Task Waiting_for_events_after_a_position_ends_when_one_is_numbered_or_the_time_is_up()
    {
        await using var tail = new LogTail(_store);
        await tail.StartAsync();

        Assert.False(await tail.WaitForEventsAfterAsync(0, TimeSpan.FromMilliseconds(200)));
        var waiting = tail.WaitForEventsAfterAsync(0, TimeSpan.FromSeconds(30));
        await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(1), EventMetadata.None);
        Assert.True(await waiting);
        Assert.True(await tail.WaitForEventsAfterAsync(0, TimeSpan.Zero)); // already there
    }

    [Fact]
    public async Task A_tail_fed_by_its_leading_sequencer_holds_the_log_without_reading_it_back()
    {
        // The fixture's sequencer gives way to one that feeds a tail; a second tail, not fed, follows the same log by reading.
        await _sequencer.DisposeAsync();
        await using var fed = new LogTail(_store);
        await using var read = new LogTail(_store);
        _sequencer = new Sequencer(_database.App, tail: fed);
        _sequencer.Start();
        await WaitFor(() => Task.FromResult(_sequencer.IsLeader));
        await fed.StartAsync();
        await read.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var fromFed = Collect(fed, 0, 60, timeout.Token);
        var fromRead = Collect(read, 0, 60, timeout.Token);
        for (var i = 0; i < 30; i++)
        {
            await _store.AppendAsync($"s-{i % 3}", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
            // One batch at a time: else a tail that reads would read several in one go.
            Assert.True(await read.WaitForEventsAfterAsync(2 * i + 1, TimeSpan.FromSeconds(30)));
            Assert.True(await fed.WaitForEventsAfterAsync(2 * i + 1, TimeSpan.FromSeconds(30)));
        }

        // Handed over, each event is the one in the log, every part of it.
        static object Whole(RecordedEvent e) => (e.EventId, e.StreamId, e.Version, e.Sequence, e.EventType, e.Data, e.RecordedAt, e.Metadata,
            e.HashAlgorithm, Convert.ToHexString(e.PreviousHash), Convert.ToHexString(e.Hash));
        var log = await _store.ReadAllAsync(0, 100);
        Assert.Equal(log.Select(Whole), (await fromFed).Select(Whole));
        Assert.Equal(log.Select(Whole), (await fromRead).Select(Whole));
        // Thirty batches: the tail that reads read each; the fed one read the log at its start (a hand-over later
        // than its grace, on a loaded machine, would add a read, not thirty).
        Assert.True(read.LogReads >= 30, $"the reading tail read the log {read.LogReads} times");
        Assert.True(fed.LogReads * 5 <= read.LogReads, $"the fed tail read the log {fed.LogReads} times, the other {read.LogReads}");
    }

    [Fact]
    public async Task A_tail_whose_sequencer_stands_by_or_takes_over_misses_nothing()
    {
        // The fixture's sequencer leads; this one, feeding the tail, stands by until the other stops.
        await WaitFor(() => Task.FromResult(_sequencer.IsLeader));
        await using var tail = new LogTail(_store);
        await using var standing = new Sequencer(_database.App, options: new SequencerOptions { FollowerPollInterval = TimeSpan.FromMilliseconds(50) }, tail: tail);
        standing.Start();
        await tail.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = Collect(tail, 0, 60, timeout.Token);
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await _store.AppendAsync($"s-{i % 4}", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
                await Task.Delay(5);
            }
        });
        await WaitForHead(10);
        Assert.False(standing.IsLeader);
        await _sequencer.DisposeAsync(); // while the writer goes on
        _sequencer = new Sequencer(_database.App); // for the fixture to dispose
        await WaitFor(() => Task.FromResult(standing.IsLeader));
        await writing;
        await WaitForHead(40);

        // Its own sequencer leading now, the tail is handed batch after batch, without reading them.
        await tail.WaitForEventsAfterAsync(39, TimeSpan.FromSeconds(30));
        var readsBefore = tail.LogReads;
        for (var i = 0; i < 10; i++)
        {
            await _store.AppendAsync("s-after", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
            Assert.True(await tail.WaitForEventsAfterAsync(40 + 2 * i + 1, TimeSpan.FromSeconds(30)));
        }

        Assert.Equal((await _store.ReadAllAsync(0, 100)).Select(e => e.EventId), (await seen).Select(e => e.EventId));
        Assert.True(tail.LogReads - readsBefore < 5, $"the tail read the log {tail.LogReads - readsBefore} times for ten batches after the takeover");
    }

    [Fact]
    public async Task A_batch_handed_over_after_a_gap_is_not_taken_and_the_log_fills_it()
    {
        await using var tail = new LogTail(_store);
        await tail.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5; i++) await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
        await Collect(tail, 0, 10, timeout.Token);

        // A hand-over numbered 15-17 while the tail holds up to 10 (as after a leader's round that was lost): 11-14 are missing.
        var log = await _store.ReadAllAsync(0, 10);
        tail.Numbered(log.Take(3).Select((e, i) => e with { Sequence = 15 + i }).ToList());
        Assert.Empty(await tail.ReadAsync(10, 10));
        for (var i = 0; i < 5; i++) await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
        await WaitForHead(20);

        var expected = (await _store.ReadAllAsync(0, 30)).Select(e => (e.EventId, e.Sequence)).ToList();
        Assert.Equal(expected.Skip(10), (await Collect(tail, 10, 10, timeout.Token)).Select(e => (e.EventId, e.Sequence)));
        Assert.Equal(expected, (await tail.ReadAsync(0, 30)).Select(e => (e.EventId, e.Sequence)));
    }

    private static async Task<List<RecordedEvent>> Collect(LogTail tail, long after, int count, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        await foreach (var batch in tail.SubscribeBatchesAsync(after, 5, cancellationToken))
        {
            events.AddRange(batch);
            if (events.Count >= count) break;
        }
        return events;
    }

    private static async Task WaitFor(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            await Task.Delay(20);
        }
    }

    private async Task WaitForHead(long head)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await _store.ReadHeadAsync() < head)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The sequencer did not reach {head}.");
            await Task.Delay(20);
        }
    }
}
