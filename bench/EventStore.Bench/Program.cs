using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Bench;

// Append throughput of the event store against plain Npgsql INSERTs of the same rows in the same
// transaction sizes and durability (the ceiling), then the sequencer's lag from an append's commit
// to the commit of its sequence number: under a steady load of the same writers at half the store's
// measured rate (the goal), and, for information, during the flat-out throughput runs.
// Usage: dotnet run -c Release --project bench/EventStore.Bench [-- --seconds 20 --writers 8 --steady-seconds 10]
var seconds = ArgValue("--seconds", 20);
var writers = ArgValue("--writers", 8);
var steadySeconds = ArgValue("--steady-seconds", 10);

// The benchmark's own database (bench/Shared/BenchDatabase.cs), dropped at the end.
await using var bench = await BenchDatabase.CreateAsync("records-bench-pg", durable: true);
await using (var baselineTable = bench.Admin.CreateCommand(
    "create table public.baseline_events (like eventstore.events including defaults including identity including indexes including constraints); " +
    "grant insert, select on public.baseline_events to records_bench"))
    await baselineTable.ExecuteNonQueryAsync();
await using var app = bench.App(writers * 2 + 4, 20);

Console.WriteLine($"Records event store benchmark: {writers} writers, commands of 1-3 events to distinct streams, {seconds} s each, durable commits.");
Console.WriteLine($"machine: {Machine.Describe()} (other work on the machine slows both runs alike; the ratio is the measure)");
var store = new PostgresEventStore(app);

var appendedAt = new ConcurrentDictionary<Guid, long>();
await using var sequencer = new Sequencer(app);
// The lag is from an append's commit (its answer reaching the writer) to the sequencer's commit of a
// batch that numbers it, both on this process's clock: each batch is noted with the head it reached.
var numberedAt = new ConcurrentQueue<(long At, long Head)>();
sequencer.Sequenced += head => numberedAt.Enqueue((Stopwatch.GetTimestamp(), head));
sequencer.Start();

// Baseline and store take turns in short slices, so both meet the same background load.
const int Rounds = 4;
var baseline = new Run("baseline: plain Npgsql INSERT", 0, 0);
var storeRun = new Run("this store: AppendAsync", 0, 0);
for (var round = 1; round <= Rounds; round++)
{
    Console.Write($"round {round}/{Rounds}: ");
    baseline += await Measure(seconds / (double)Rounds, (writer, command, events) => BaselineInsert(app, writer, command, events));
    storeRun += await Measure(seconds / (double)Rounds, (writer, command, events) => StoreAppend(writer, command, events, appendedAt));
    Console.WriteLine();
}

// The steady load: the same writers, each pacing its commands so that together they ask half the store's rate.
var steadyAt = new ConcurrentDictionary<Guid, long>();
var steadyRate = storeRun.CommandsPerSecond / 2;
Console.Write($"steady load: {steadyRate:F0} commands/s for {steadySeconds} s ");
var steady = await Measure(steadySeconds, (writer, command, events) => StoreAppend(writer, command, events, steadyAt), commandsPerSecond: steadyRate);
Console.WriteLine();
var head = await store.ReadHeadAsync();
var deadline = DateTime.UtcNow.AddSeconds(30);
var appendedCount = appendedAt.Count + steadyAt.Count;
while (await ReadNumberedCountAsync() < appendedCount && DateTime.UtcNow < deadline) await Task.Delay(50);

Console.WriteLine();
Console.WriteLine($"{"run",-34} {"commands/s",12} {"events/s",12}");
Console.WriteLine($"{baseline.Name,-34} {baseline.CommandsPerSecond,12:F0} {baseline.EventsPerSecond,12:F0}");
Console.WriteLine($"{storeRun.Name,-34} {storeRun.CommandsPerSecond,12:F0} {storeRun.EventsPerSecond,12:F0}");
var ratio = storeRun.EventsPerSecond / baseline.EventsPerSecond;
Console.WriteLine($"ratio store/baseline (events/s): {ratio:F2}   goal >= 0.70: {(ratio >= 0.7 ? "met" : "NOT met")}");
var numberedTimes = await NumberedTimesAsync();
var (lags, steadyLags) = (LagsOf(appendedAt), LagsOf(steadyAt));
static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
Console.WriteLine($"sequencer lag, commit to sequence number, under steady load ({steady.CommandsPerSecond:F0} commands/s, {steadyLags.Length} events): " +
    $"p50 {Percentile(steadyLags, 0.50):F2} ms, p99 {Percentile(steadyLags, 0.99):F2} ms, max {steadyLags.LastOrDefault():F2} ms   " +
    $"goal p99 <= 20 ms: {(Percentile(steadyLags, 0.99) <= 20 ? "met" : "NOT met")}");
Console.WriteLine($"  for information, during the flat-out runs ({lags.Length} events; every core busy, so every wait is a wait for a core): " +
    $"p50 {Percentile(lags, 0.50):F2} ms, p99 {Percentile(lags, 0.99):F2} ms, max {lags.LastOrDefault():F2} ms");
var unnumbered = appendedCount - lags.Length - steadyLags.Length;
if (unnumbered > 0) Console.WriteLine($"WARNING: {unnumbered} appended events were not numbered within 30 s (head {head})");
return;

async Task StoreAppend(int writer, int command, EventData[] events, ConcurrentDictionary<Guid, long> committedAt)
{
    var stream = $"w{writer}-s{command % 500}";
    var result = await store.AppendAsync(stream, "bench", ExpectedVersion.Any, events,
        new EventMetadata { Actor = new Actor($"user-{writer}", "physician", true), InstitutionId = "h1", CommandId = Guid.NewGuid() });
    var now = Stopwatch.GetTimestamp();
    foreach (var e in result.Events) committedAt[e.EventId] = now;
}

async Task<long> ReadNumberedCountAsync()
{
    await using var count = bench.Admin.CreateCommand("select count(*) from eventstore.global_log");
    return (long)(await count.ExecuteScalarAsync())!;
}

// When each event's number was committed: the first batch whose head reached it.
async Task<Dictionary<Guid, long>> NumberedTimesAsync()
{
    var batches = numberedAt.ToArray();
    var heads = batches.Select(b => b.Head).ToArray();
    var times = new Dictionary<Guid, long>();
    await using var numbers = bench.Admin.CreateCommand("select e.event_id, g.sequence from eventstore.global_log g join eventstore.events e on e.id = g.event_row");
    await using var reader = await numbers.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        var batch = Array.BinarySearch(heads, reader.GetInt64(1));
        times[reader.GetGuid(0)] = batches[batch >= 0 ? batch : ~batch].At;
    }
    return times;
}

// A batch may commit before its writer's thread has taken the append's answer: lag 0.
double[] LagsOf(ConcurrentDictionary<Guid, long> committedAt) =>
    committedAt.Where(c => numberedTimes.ContainsKey(c.Key))
        .Select(c => Math.Max(0, Stopwatch.GetElapsedTime(c.Value, numberedTimes[c.Key]).TotalMilliseconds)).Order().ToArray();

// Flat out, or with each writer pacing itself to its share of commandsPerSecond.
async Task<Run> Measure(double sliceSeconds, Func<int, int, EventData[], Task> append, double? commandsPerSecond = null)
{
    long commands = 0, events = 0;
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(sliceSeconds));
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
    {
        var random = new Random(writer);
        for (var command = 0; !stop.IsCancellationRequested; command++)
        {
            if (commandsPerSecond is { } rate && TimeSpan.FromSeconds(command * writers / rate) - watch.Elapsed is { Ticks: > 0 } due)
            {
                try { await Task.Delay(due, stop.Token); }
                catch (OperationCanceledException) { break; }
            }
            var batch = Enumerable.Range(0, random.Next(1, 4))
                .Select(i => new EventData("bench.recorded.v1", JsonSerializer.SerializeToUtf8Bytes(new { writer, command, i, note = "a clinical note of modest length" })))
                .ToArray();
            await append(writer, command, batch);
            Interlocked.Increment(ref commands);
            Interlocked.Add(ref events, batch.Length);
        }
    })));
    Console.Write(".");
    return new Run("", commands, events, watch.Elapsed.TotalSeconds);
}

static async Task BaselineInsert(NpgsqlDataSource app, int writer, int command, EventData[] events)
{
    await using var connection = await app.OpenConnectionAsync();
    await using var transaction = await connection.BeginTransactionAsync();
    var stream = $"w{writer}-{Guid.NewGuid():N}";
    await using var insert = new NpgsqlCommand(
        """
        insert into public.baseline_events (event_id, stream_id, stream_type, version, event_type, data, recorded_at,
            actor_id, actor_role, actor_verified, institution_id, command_id, hash_algorithm, previous_hash, hash)
        select gen_random_uuid(), $1, 'bench', v, $2, d::jsonb, now(), $3, 'physician', true, 'h1', $4, 'sha256', $5, $5
        from unnest($6::bigint[], $7::text[]) as x(v, d)
        """, connection, transaction);
    insert.Parameters.Add(new() { Value = stream });
    insert.Parameters.Add(new() { Value = "bench.recorded.v1" });
    insert.Parameters.Add(new() { Value = $"user-{writer}" });
    insert.Parameters.Add(new() { Value = Guid.NewGuid() });
    insert.Parameters.Add(new() { Value = new byte[32] });
    insert.Parameters.Add(new() { Value = Enumerable.Range(1, events.Length).Select(v => (long)v).ToArray() });
    insert.Parameters.Add(new() { Value = events.Select(e => System.Text.Encoding.UTF8.GetString(e.Data.Span)).ToArray() });
    await insert.ExecuteNonQueryAsync();
    await transaction.CommitAsync();
}

int ArgValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}

internal sealed record Run(string Name, long Commands, long Events, double Seconds = 0)
{
    public double CommandsPerSecond => Commands / Seconds;

    public double EventsPerSecond => Events / Seconds;

    public static Run operator +(Run total, Run slice) => total with { Commands = total.Commands + slice.Commands, Events = total.Events + slice.Events, Seconds = total.Seconds + slice.Seconds };
}
