using Npgsql;
using Records.EventStore.Hashing;
using Records.EventStore.Sequencing;
using Records.EventStore.Verification;
using Records.Testing;

namespace Records.EventStore.Tests;

/// <summary>Each test gets a fresh database: the global log is shared state.</summary>
public class SequencerTests : IAsyncLifetime
{
    private readonly EventStoreDatabase _database = new();
    private PostgresEventStore _store = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new PostgresEventStore(_database.App);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Sixteen_writers_on_one_stream_write_every_version_once_and_the_losers_get_the_concurrency_error()
    {
        await using var sequencer = StartSequencer();
        const string stream = "contended";
        var wins = 0;
        var losses = 0;
        var otherErrors = new List<Exception>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
        {
            for (var attempt = 0; attempt < 25; attempt++)
            {
                var head = await _store.ReadStreamAsync(stream, ReadDirection.Backward, maxCount: 1).FirstOrDefaultAsync();
                var expected = head is null ? ExpectedVersion.NoStream : ExpectedVersion.Exactly(head.Version);
                try
                {
                    await _store.AppendAsync(stream, "counter", expected, [Events.Json("counter.incremented.v1", new { writer, attempt })], EventMetadata.None);
                    Interlocked.Increment(ref wins);
                }
                catch (ConcurrencyException e)
                {
                    Assert.True(e.ActualVersion > (head?.Version ?? 0));
                    Interlocked.Increment(ref losses);
                }
                catch (Exception e)
                {
                    lock (otherErrors) otherErrors.Add(e);
                }
            }
        })));

        Assert.Empty(otherErrors);
        Assert.Equal(16 * 25, wins + losses);
        Assert.True(losses > 0, "16 writers on one stream should have raced");
        var versions = await _store.ReadStreamAsync(stream).Select(e => e.Version).ToListAsync();
        Assert.Equal(Enumerable.Range(1, wins).Select(v => (long)v), versions);

        await WaitForHead(wins);
        var log = await _store.ReadAllAsync(0, 10_000);
        Assert.Equal(Enumerable.Range(1, wins).Select(s => (long)s), log.Select(e => e.Sequence!.Value));
        Assert.Equal(versions, log.Select(e => e.Version)); // one stream: global order is version order
        Assert.True((await new ChainVerifier(_database.App).VerifyAllAsync()).IsIntact);
    }

    [Fact]
    public async Task Subscribers_see_every_committed_event_once_in_order_and_never_stall_on_a_rolled_back_append()
    {
        await using var sequencer = StartSequencer();
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Transactions that insert an event, hold it, and roll back: their xids sit below the
        // committed writers' ones while they run.
        var rollbacks = Task.Run(async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                await using var connection = await _database.App.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using var insert = new NpgsqlCommand(
                    """
                    insert into eventstore.events (event_id, stream_id, stream_type, version, event_type, data, recorded_at, hash_algorithm, previous_hash, hash)
                    values (gen_random_uuid(), $1, 'doomed', 1, 'doomed.v1', '{}', now(), 'sha256', '\x00', '\x00')
                    """, connection, transaction);
                insert.Parameters.Add(new() { Value = "doomed-" + i });
                await insert.ExecuteNonQueryAsync();
                await Task.Delay(150);
                await transaction.RollbackAsync();
            }
        });

        var writers = Enumerable.Range(0, 6).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
                await _store.AppendAsync($"writer-{writer}", "w", ExpectedVersion.Any, Events.Some(1 + i % 3), EventMetadata.None);
        })).ToArray();
        var expected = 6 * Enumerable.Range(0, 40).Sum(i => 1 + i % 3);

        var first = Collect(expected, done.Token);
        var second = Collect(expected, done.Token);
        await Task.WhenAll(writers);
        await rollbacks;
        var (a, b) = (await first, await second);

        Assert.Equal(expected, a.Count);
        Assert.Equal(Enumerable.Range(1, expected).Select(s => (long)s), a.Select(e => e.Sequence!.Value));
        Assert.Equal(a.Select(e => e.EventId), b.Select(e => e.EventId));
        Assert.Equal(expected, a.Select(e => e.EventId).Distinct().Count());
        Assert.DoesNotContain(a, e => e.StreamType == "doomed");
        // Within each stream, the global order keeps the stream's order.
        foreach (var stream in a.GroupBy(e => e.StreamId))
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(v => (long)v), stream.Select(e => e.Version));
    }

    [Fact]
    public async Task A_transaction_still_running_holds_back_no_one_and_is_numbered_when_it_commits_even_after_a_restart()
    {
        var first = StartSequencer();
        var (slow, release) = await HoldAnAppendAsync("slow", 2);
        try
        {
            // Later appends commit and are numbered while it runs.
            for (var i = 0; i < 5; i++)
                await _store.AppendAsync($"quick-{i}", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
            await WaitForHead(10);
        }
        finally
        {
            // The held append commits while no sequencer runs: it waits below the last numbered event's transaction,
            // where the next sequencer (and the count of what waits) must look.
            await first.DisposeAsync();
            release.TrySetResult();
        }
        await slow;
        Assert.Equal(2, (await Sequencer.ReadUnnumberedAsync(_database.App)).Count);
        await using var second = StartSequencer();
        await WaitForHead(12);
        Assert.Equal(0, (await Sequencer.ReadUnnumberedAsync(_database.App)).Count);

        var log = await _store.ReadAllAsync(0, 100);
        Assert.Equal(Enumerable.Range(1, 12).Select(s => (long)s), log.Select(e => e.Sequence!.Value));
        Assert.Equal(["slow", "slow"], log.Skip(10).Select(e => e.StreamId));
        await using (var order = _database.Admin.CreateCommand(
            "select (select min(tx_id::text::bigint) from eventstore.events where stream_id = 'slow') < (select min(tx_id::text::bigint) from eventstore.events where stream_id like 'quick-%')"))
            Assert.True((bool)(await order.ExecuteScalarAsync())!); // numbered after events of later transactions
        Assert.True((await new ChainVerifier(_database.App).VerifyAllAsync()).IsIntact);
    }

    [Fact]
    public async Task Batches_smaller_than_a_transaction_and_an_older_transaction_committing_late_number_every_event_once()
    {
        await using var sequencer = new Sequencer(_database.App, options: new SequencerOptions { BatchSize = 3 });
        sequencer.Start();
        var (slow, release) = await HoldAnAppendAsync("slow", 4);
        try
        {
            // A transaction of seven events (three batches' worth) and smaller ones commit while the held one runs.
            await _store.AppendAsync("big", "s", ExpectedVersion.Any, Events.Some(7), EventMetadata.None);
            for (var i = 0; i < 3; i++)
                await _store.AppendAsync($"quick-{i}", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
            await WaitForHead(13);
        }
        finally
        {
            release.TrySetResult();
        }
        await slow;
        await WaitForHead(17);

        var log = await _store.ReadAllAsync(0, 100);
        Assert.Equal(Enumerable.Range(1, 17).Select(s => (long)s), log.Select(e => e.Sequence!.Value));
        Assert.Equal(17, log.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(Enumerable.Repeat("slow", 4), log.Skip(13).Select(e => e.StreamId));
        foreach (var stream in log.GroupBy(e => e.StreamId))
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(v => (long)v), stream.Select(e => e.Version));
        Assert.True((await new ChainVerifier(_database.App).VerifyAllAsync()).IsIntact);
    }

    [Fact]
    public async Task A_log_numbered_before_floors_were_recorded_goes_on_from_its_last_event_and_new_rows_must_record_theirs()
    {
        // The log as the earlier version left it (numbered in transaction order, no floors), then the migration that
        // adds the floor: its constraint checks only rows written after it.
        for (var i = 0; i < 6; i++)
            await _store.AppendAsync($"old-{i % 2}", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
        await using (var drop = _database.Admin.CreateCommand("alter table eventstore.global_log drop constraint global_log_floor_recorded"))
            await drop.ExecuteNonQueryAsync();
        var earlier = new List<(long Row, byte[] Hash)>();
        await using (var read = _database.Admin.CreateCommand("select id, hash from eventstore.events order by tx_id, id"))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) earlier.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        var link = ChainAlgorithm.Genesis;
        for (var i = 0; i < earlier.Count; i++)
        {
            link = EventHash.ForSequence(ChainAlgorithm.Sha256, link, i + 1, earlier[i].Hash);
            await using var number = _database.Admin.CreateCommand(
                "insert into eventstore.global_log (sequence, event_row, hash_algorithm, chain_hash) values ($1, $2, 'sha256', $3)");
            number.Parameters.Add(new() { Value = (long)(i + 1) });
            number.Parameters.Add(new() { Value = earlier[i].Row });
            number.Parameters.Add(new() { Value = link });
            await number.ExecuteNonQueryAsync();
        }
        await using (var add = _database.Admin.CreateCommand(
            "alter table eventstore.global_log add constraint global_log_floor_recorded check (transaction_floor is not null) not valid"))
            await add.ExecuteNonQueryAsync();

        // A sequencer that records no floor (an earlier version's) is refused.
        await using (var unrecorded = _database.Admin.CreateCommand(
            "insert into eventstore.global_log (sequence, event_row, hash_algorithm, chain_hash) select 13, max(id), 'sha256', '\\x00' from eventstore.events"))
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => unrecorded.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
        }

        await using var sequencer = StartSequencer();
        for (var i = 0; i < 4; i++)
            await _store.AppendAsync($"new-{i}", "s", ExpectedVersion.Any, Events.Some(1), EventMetadata.None);
        await WaitForHead(16);
        var log = await _store.ReadAllAsync(0, 100);
        Assert.Equal(Enumerable.Range(1, 16).Select(s => (long)s), log.Select(e => e.Sequence!.Value));
        Assert.Equal(Enumerable.Repeat("new-", 4), log.Skip(12).Select(e => e.StreamId[..4]));
        Assert.True((await new ChainVerifier(_database.App).VerifyAllAsync()).IsIntact);
    }

    [Fact]
    public async Task Appends_wake_an_idle_sequencer_and_a_busy_one_looks_again_without_being_woken()
    {
        // No safety-net polling: an append the sequencer neither is woken for nor looks for again stays unnumbered.
        await using var sequencer = new Sequencer(_database.App, options: new SequencerOptions { IdleCheckInterval = TimeSpan.FromHours(1) });
        sequencer.Start();
        var appended = 0;
        for (var round = 0; round < 5; round++)
        {
            // A burst from several writers (the sequencer busy, appends mostly not notifying), then quiet.
            await Task.WhenAll(Enumerable.Range(0, 6).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; i < 30; i++)
                {
                    await _store.AppendAsync($"r{round}-w{writer}", "s", ExpectedVersion.Any, Events.Some(1 + i % 3), EventMetadata.None);
                    if (i % 7 == writer) await Task.Delay(3);
                }
            })));
            appended += 6 * Enumerable.Range(0, 30).Sum(i => 1 + i % 3);
            await WaitForHead(appended);
            // One lone append to the idle sequencer.
            await _store.AppendAsync($"lone-{round}", "s", ExpectedVersion.Any, Events.Some(1), EventMetadata.None);
            await WaitForHead(++appended);
        }
    }

    [Fact]
    public async Task A_subscription_resumes_from_its_checkpoint_without_repeating()
    {
        await using var sequencer = StartSequencer();
        await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(10), EventMetadata.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var firstPart = await _store.SubscribeAsync(0, batchSize: 3, timeout.Token).Take(4).ToListAsync(timeout.Token);
        var checkpoint = firstPart[^1].Sequence!.Value;
        await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(5), EventMetadata.None);
        var rest = await _store.SubscribeAsync(checkpoint, cancellationToken: timeout.Token).Take(11).ToListAsync(timeout.Token);

        Assert.Equal(Enumerable.Range(1, 15).Select(v => (long)v), firstPart.Concat(rest).Select(e => e.Sequence!.Value));
    }

    [Fact]
    public async Task The_sequencers_look_for_new_events_reads_a_range_of_the_transaction_index_not_the_whole_log()
    {
        // A log of 20,000 numbered events from 200 transactions, not yet analyzed, as a young log is (written
        // directly: only the plan is under test).
        for (var transaction = 0; transaction < 200; transaction++)
        {
            await using var fill = _database.Admin.CreateCommand(
                $$"""
                insert into eventstore.events (event_id, stream_id, stream_type, version, event_type, data, recorded_at, hash_algorithm, previous_hash, hash)
                select gen_random_uuid(), 's-' || i, 's', {{transaction + 1}}, 'e', '{}', now(), 'sha256', '\x00', '\x00' from generate_series(1, 100) i
                """);
            await fill.ExecuteNonQueryAsync();
        }
        await using (var number = _database.Admin.CreateCommand(
            """
            insert into eventstore.global_log (sequence, event_row, hash_algorithm, chain_hash, transaction_floor)
            select id, id, 'sha256', '\x00', tx_id from eventstore.events
            """))
            await number.ExecuteNonQueryAsync();
        await using var connection = await _database.Admin.OpenConnectionAsync();
        string floor;
        // Where a running sequencer stands under a steady load: at the xmin of a moment ago, the last few transactions'
        // events above it, numbered already.
        await using (var latest = new NpgsqlCommand("select tx_id::text from eventstore.events order by tx_id desc offset 450 limit 1", connection))
            floor = (string)(await latest.ExecuteScalarAsync())!;
        foreach (var mode in new[] { "force_custom_plan", "force_generic_plan" })
        {
            await using (var set = new NpgsqlCommand($"set plan_cache_mode = {mode}", connection)) await set.ExecuteNonQueryAsync();
            await using var explain = new NpgsqlCommand("explain " + Sequencer.FindStatement, connection)
                { Parameters = { new() { Value = floor }, new() { Value = 1000 } } };
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
                while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
            Assert.DoesNotContain(plan, line => line.Contains("Seq Scan", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_sequencer_killed_in_the_middle_of_a_batch_is_replaced_without_loss_or_repetition()
    {
        // Appends commit while no sequencer runs: they wait, committed but unnumbered.
        for (var i = 0; i < 20; i++)
            await _store.AppendAsync($"s-{i % 4}", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);

        // Block the global log so the first sequencer is caught inside its numbering transaction, then kill its backend.
        await using var admin = await _database.Admin.OpenConnectionAsync();
        await using var blocker = await admin.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("lock table eventstore.global_log in share mode", admin, blocker))
            await lockTable.ExecuteNonQueryAsync();
        var doomed = StartSequencer();
        var victim = await WaitFor(async () =>
        {
            await using var find = _database.Admin.CreateCommand(
                "select pid from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into eventstore.global_log%'");
            return await find.ExecuteScalarAsync() as int?;
        });
        await using (var kill = _database.Admin.CreateCommand($"select pg_terminate_backend({victim})"))
            await kill.ExecuteNonQueryAsync();
        await doomed.DisposeAsync();
        await blocker.RollbackAsync();
        Assert.Equal(0, await _store.ReadHeadAsync());

        await using var replacement = StartSequencer();
        await WaitForHead(40);
        for (var i = 0; i < 5; i++)
            await _store.AppendAsync("after", "s", ExpectedVersion.Any, Events.Some(1), EventMetadata.None);
        await WaitForHead(45);

        var log = await _store.ReadAllAsync(0, 1000);
        Assert.Equal(Enumerable.Range(1, 45).Select(s => (long)s), log.Select(e => e.Sequence!.Value));
        Assert.Equal(45, log.Select(e => e.EventId).Distinct().Count());
        Assert.True((await new ChainVerifier(_database.App).VerifyAllAsync()).IsIntact);
    }

    [Fact]
    public async Task Only_one_sequencer_leads_and_another_takes_over_when_it_stops()
    {
        var options = new SequencerOptions { FollowerPollInterval = TimeSpan.FromMilliseconds(100) };
        var first = new Sequencer(_database.App, options: options);
        first.Start();
        await WaitFor(() => Task.FromResult<bool?>(first.IsLeader ? true : null));
        await using var second = new Sequencer(_database.App, options: options);
        second.Start();
        await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(3), EventMetadata.None);
        await WaitForHead(3);
        Assert.False(second.IsLeader);

        await first.DisposeAsync();
        await WaitFor(() => Task.FromResult<bool?>(second.IsLeader ? true : null));
        await _store.AppendAsync("s", "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None);
        await WaitForHead(5);
        Assert.Equal(Enumerable.Range(1, 5).Select(s => (long)s), (await _store.ReadAllAsync(0, 100)).Select(e => e.Sequence!.Value));
    }

    private Sequencer StartSequencer()
    {
        var sequencer = new Sequencer(_database.App, options: new SequencerOptions { RetryDelay = TimeSpan.FromMilliseconds(100), FollowerPollInterval = TimeSpan.FromMilliseconds(100) });
        sequencer.Start();
        return sequencer;
    }

    /// <summary>
    /// Starts an append of <paramref name="count"/> events to <paramref name="stream"/> that stays open after its insert
    /// (its inline work waits) until released: its transaction id is below every later append's.
    /// </summary>
    private async Task<(Task<AppendResult> Append, TaskCompletionSource Release)> HoldAnAppendAsync(string stream, int count)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inserted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new PostgresEventStore(_database.App, inline: async (_, _, _) =>
        {
            inserted.SetResult();
            await release.Task;
        });
        var append = held.AppendAsync(stream, "s", ExpectedVersion.Any, Events.Some(count), EventMetadata.None);
        await inserted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return (append, release);
    }

    private async Task<List<RecordedEvent>> Collect(int count, CancellationToken cancellationToken) =>
        await _store.SubscribeAsync(0, cancellationToken: cancellationToken).Take(count).ToListAsync(cancellationToken);

    private async Task WaitForHead(long head) =>
        await WaitFor(async () => await _store.ReadHeadAsync() >= head ? true : (bool?)null);

    private static async Task<T> WaitFor<T>(Func<Task<T?>> probe) where T : struct
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value) return value;
            await Task.Delay(20);
        }
        throw new TimeoutException("The condition was not met within 30 s.");
    }
}
