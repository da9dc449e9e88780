using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;
using System.Security.Cryptography;
using Npgsql;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Projections.Access;
using Records.Projections.Emr;
using Records.Projections.Regulator;
using Records.Projections.Runner;
using Records.Projections.Streams;
using Records.Projections.Traceability;
using Records.Domain.Serialization;
using Records.Testing.Histories;
using Records.Bench;

// Rebuild rate of each view over a generated Internet-hospital history, then the lag from commit
// to visible in the views under a steady write load (--load events/s from --writers writers).
// Usage: dotnet run -c Release --project bench/Projections.Bench [-- --events 1000000 --writers 16 --lag-seconds 20 --warm-up-seconds 20 --load 1000 --durable]
// (--load 250,500,1000 measures the lag at each load in turn.)
// (--rebuild-only or --lag-only runs one of the two measures.)
// Without --durable the embedded cluster runs with fsync off: the figures are then the software's,
// not the disk's (a durable commit costs one flush each for the append, the sequencer and the view).
var durable = args.Contains("--durable");
var (measureRebuilds, measureLag) = (!args.Contains("--lag-only"), !args.Contains("--rebuild-only"));
var targetEvents = ArgValue("--events", 1_000_000);
var writers = ArgValue("--writers", 16);
var lagSeconds = ArgValue("--lag-seconds", 20);
// The same load before the measure: connections opened, code compiled, the machine settled after the views caught up
// with the history (after 3 s, the first run's p99 was still half again that of later runs at the same load).
var warmUpSeconds = ArgValue("--warm-up-seconds", 20);
var loads = ArgValues("--load", [1000]); // events per second during each lag run
const double MartenSample = 8_700;   // Marten's published projection rebuild sample, events/s

// The benchmark's own database (bench/Shared/BenchDatabase.cs), dropped at the end.
await using var bench = await BenchDatabase.CreateAsync("records-projections-bench-pg", durable: durable);
await ProjectionRunner.MigrateAsync(bench.Admin);
await using var app = bench.App(writers * 2 + 16, 50);
var store = new PostgresEventStore(app);
// As in the product's host: one log tail for the process, fed by its sequencer, read by the views and the baseline below.
await using var tail = new LogTail(store);
await using var sequencer = new Sequencer(app, tail: tail);
sequencer.Start();

// A history of about the asked size: measure a sample's events per patient, then size it.
// One consultation each gives about 20 events a patient: 1 million events is about 50,000 patients.
var shape = new HistoryOptions { Institutions = 10, PhysiciansPerInstitution = 30, MaxConsultationsPerPatient = 1, Interleaving = 256 };
var sample = new HistoryGenerator(shape with { Patients = 500 }).Generate().Where(s => s.Lane > 0).Sum(s => s.Events.Count) / 500.0;
var patients = Math.Max(1, (int)(targetEvents / sample));
var options = shape with { Seed = 2026, Patients = patients };
Console.WriteLine($"Records projections benchmark: about {targetEvents:N0} events, {patients:N0} patients ({sample:F1} events each), {(durable ? "durable commits" : "fsync off")}.");
Console.WriteLine($"machine: {Machine.Describe()} (other work on the machine slows every figure)");
var watch = Stopwatch.StartNew();
var appended = await HistoryWriter.AppendAsync(store, new HistoryGenerator(options).Generate(), writers);
while ((await Sequencer.ReadUnnumberedAsync(app)).Count > 0) await Task.Delay(200);
var head = await store.ReadHeadAsync();
Console.WriteLine($"generated {appended:N0} events in {watch.Elapsed.TotalSeconds:F0} s (not the measure); log head {head:N0}");

IProjection[] views = [new EmrView(), new AccessView(), new TraceabilityView(), new RegulatorProjection(RegulatorOptions.WithDefaultRules(RandomNumberGenerator.GetBytes(32)))];
var runnerOptions = new ProjectionRunnerOptions { RebuildBatchSize = 10_000 };
if (measureRebuilds)
{
    // A rebuild reads only the parts of events its view uses: the EMR view none besides identity, type, data and times.
    foreach (var parts in new[] { EventParts.All, EventParts.None })
    {
        var read = Stopwatch.StartNew();
        for (var position = 0L; position < head;) position = (await store.ReadAllAsync(position, runnerOptions.RebuildBatchSize, parts))[^1].Sequence!.Value;
        Console.WriteLine($"reading the log alone, {(parts == EventParts.All ? "whole events" : "as the EMR rebuild does")}: {head / read.Elapsed.TotalSeconds:N0} events/s");
    }
    Console.WriteLine();
    Console.WriteLine($"{"view",-14} {"rebuild s",10} {"events/s",12}");
    var rates = new Dictionary<string, double>();
    foreach (var view in views)
    {
        await using var runner = new ProjectionRunner(store, [view], options: runnerOptions);
        var rebuild = Stopwatch.StartNew();
        await runner.RebuildAsync(view.Name);
        rates[view.Name] = head / rebuild.Elapsed.TotalSeconds;
        Console.WriteLine($"{view.Name,-14} {rebuild.Elapsed.TotalSeconds,10:F1} {rates[view.Name],12:N0}   ({Machine.Describe()})");
    }
    Console.WriteLine($"baseline reference: Marten's published sample rebuilds about {MartenSample:N0} events/s");
    Console.WriteLine($"EMR rebuild goal >= 50,000 events/s: {(rates["emr"] >= 50_000 ? "met" : "NOT met")} ({rates["emr"] / MartenSample:F1}x the Marten sample)");
}
if (!measureLag) return;

// Lag from commit to visible: from the moment an append returns to its writer (its commit, as the writer
// sees it) to the moment the view's batch that holds the event has committed, both on this process's clock.
// (The runner's own metric counts from the event's recorded time, the start of the append's transaction,
// which adds the append's own round trips.)
var committedAt = new ConcurrentDictionary<Guid, long>();
var work = new Work();
sequencer.Sequenced += _ => work.Sequenced();
var visibleAt = new ConcurrentDictionary<string, ConcurrentQueue<(Guid EventId, long At)>>();
var liveOptions = runnerOptions with
{
    OnApplied = (view, batch) =>
    {
        var now = Stopwatch.GetTimestamp();
        if (view == views[0].Name) work.Applied(); // the views' batches are one transaction for all four
        var arrivals = visibleAt.GetOrAdd(view, _ => new());
        foreach (var recorded in batch) arrivals.Enqueue((recorded.EventId, now));
    },
};
await using (var live = new ProjectionRunner(store, views, options: liveOptions, tail: tail))
{
    await live.StartAsync();
    while ((await live.StatusAsync()).Any(s => s.Behind > 0)) await Task.Delay(100);
    // What a bulk load leaves to autovacuum (every new table's first vacuum and analyze, seconds of work) is done
    // before the load starts, as after any bulk load: else it lands in a measure, which is then not of a steady state.
    var vacuum = Stopwatch.StartNew();
    await using (var command = bench.Admin.CreateCommand("vacuum (analyze)"))
    {
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
    Console.WriteLine($"vacuum (analyze) after the bulk load and the views' catching up: {vacuum.Elapsed.TotalSeconds:F1} s (not the measure)");
    foreach (var (load, run) in loads.Select((l, i) => (l, i)))
        await MeasureLagAsync(live, load, run);
}
return;

async Task MeasureLagAsync(ProjectionRunner live, int load, int run)
{
    committedAt.Clear();
    visibleAt.Clear();
    // The baseline: the log as the process's tail has it (what the views read), under the same load.
    const string Log = "(the log)";
    using var stopLog = new CancellationTokenSource();
    var logHead = await store.ReadHeadAsync();
    var following = Task.Run(async () =>
    {
        await foreach (var batch in tail.SubscribeBatchesAsync(logHead, 500, stopLog.Token))
        {
            var now = Stopwatch.GetTimestamp();
            var arrivals = visibleAt.GetOrAdd(Log, _ => new());
            foreach (var recorded in batch) arrivals.Enqueue((recorded.EventId, now));
        }
    });
    // New patients' stories (each run its own), each patient's steps in order by one writer, the writers
    // together pacing to the asked load (one writer alone cannot reach it: each append waits for its commit).
    var steady = new HistoryGenerator(options with { Seed = 7 + run, FirstPatient = patients * (run + 1) + 1, Patients = patients }).Generate()
        .Where(s => s.Lane > 0).Take(load * (warmUpSeconds + lagSeconds)).ToList();
    var loadWatch = Stopwatch.StartNew();
    var measureStart = Stopwatch.GetTimestamp() + warmUpSeconds * Stopwatch.Frequency; // the one clock the measure counts from
    // How busy the cores are while the lag is measured (the writers, PostgreSQL and the views share them), and this
    // process's garbage collections then (a pause holds the views and the writers alike).
    var atStart = Task.Delay(TimeSpan.FromSeconds(warmUpSeconds)).ContinueWith(_ => (Cpu: Machine.CpuTimes(), Gc: Collections.Now(), Work: work.Now()));
    var perWriter = load / (double)writers;
    var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
    {
        long count = 0, measured = 0;
        foreach (var step in steady.Where(s => s.Lane % writers == writer))
        {
            if (loadWatch.Elapsed.TotalSeconds >= warmUpSeconds + lagSeconds) break;
            var result = await AppendAsync(step);
            work.Appended();
            var committed = Stopwatch.GetTimestamp();
            count += result.Events.Count;
            if (committed >= measureStart)
            {
                foreach (var appendedEvent in result.Events) committedAt[appendedEvent.EventId] = committed;
                measured += result.Events.Count;
            }
            var due = TimeSpan.FromSeconds(count / perWriter) - loadWatch.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
        }
        return measured;
    })));
    var (written, loadSeconds) = (counts.Sum(), loadWatch.Elapsed.TotalSeconds - warmUpSeconds);
    var busy = Machine.BusyBetween((await atStart).Cpu, Machine.CpuTimes());
    var collections = Collections.Now() - (await atStart).Gc;
    var done = work.Now() - (await atStart).Work;
    while ((await Sequencer.ReadUnnumberedAsync(app)).Count > 0 || (await live.StatusAsync()).Any(s => s.Behind > 0)) await Task.Delay(20);
    await stopLog.CancelAsync();
    try { await following; }
    catch (OperationCanceledException) { }
    Console.WriteLine();
    var worstBySecond = new double?[lagSeconds]; // the last append may end a moment past the measure: that moment is left out
    Console.WriteLine($"lag from commit (the append returning to its writer) to visible (the view's batch committed), under {written / loadSeconds:N0} events/s " +
        $"(asked {load:N0}, {writers} writers) for {loadSeconds:F0} s after {warmUpSeconds} s of the same load; cores busy {busy}, writers included ({Machine.Describe()}):");
    foreach (var view in views.Select(v => v.Name).Prepend(Log))
    {
        // An event can be visible before its writer's thread has noted the commit: lag 0.
        var lags = (visibleAt.GetValueOrDefault(view) ?? [])
            .Where(v => committedAt.ContainsKey(v.EventId))
            .Select(v => (Second: (committedAt[v.EventId] - measureStart) / Stopwatch.Frequency, Lag: Math.Max(0, Stopwatch.GetElapsedTime(committedAt[v.EventId], v.At).TotalMilliseconds)))
            .ToArray();
        foreach (var (second, lag) in lags)
            if (second < worstBySecond.Length) worstBySecond[second] = Math.Max(worstBySecond[second] ?? 0, lag);
        var sorted = lags.Select(l => l.Lag).Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        Console.WriteLine($"{view,-14} {sorted.Length,8:N0} events  p50 {Percentile(0.50),7:F1} ms  p99 {Percentile(0.99),7:F1} ms  max {sorted.LastOrDefault(),7:F1} ms" +
            (view == Log ? "   baseline: the log, as the process's tail has it" : $"   goal p99 <= 50 ms: {(Percentile(0.99) <= 50 ? "met" : "NOT met")}"));
    }
    // One stall and a steady slowness give the same p99; the worst lag of each second tells them apart.
    // "-": nothing was committed in that second (the writers themselves stalled).
    Console.WriteLine($"worst lag of any view by second of commit (ms): {string.Join(' ', worstBySecond.Select(w => w?.ToString("F0") ?? "-"))}");
    Console.WriteLine($"this process's garbage collections in the measure: {collections}");
    Console.WriteLine($"per second of the measure: {done.Appends / loadSeconds:N0} appends, {done.SequencerBatches / loadSeconds:N0} sequencer batches, {done.ViewBatches / loadSeconds:N0} view batches");
}

// As HistoryWriter appends a step, keeping the commit's event ids.
async Task<AppendResult> AppendAsync(HistoryStep step)
{
    var data = step.Events.Select(e => DomainEventSerializer.Default.Serialize(e)).Select(e => new EventData(e.TypeName, e.Data)).ToList();
    var metadata = new EventMetadata
    {
        Actor = new Actor(step.Actor.Id, DomainStore.RoleName(step.Actor.Role), step.Actor.RealNameVerified),
        InstitutionId = step.InstitutionId,
        PurposeOfUse = step.PurposeOfUse,
    };
    return await store.AppendAsync(step.StreamId, step.StreamType, ExpectedVersion.Any, data, metadata);
}

int[] ArgValues(string name, int[] fallback)
{
    var index = Array.IndexOf(args, name);
    if (index < 0) return fallback;
    var values = index + 1 < args.Length ? args[index + 1].Split(',').Select(v => int.TryParse(v, out var n) && n >= 1 ? n : 0).ToArray() : [];
    if (values.Length > 0 && values.All(v => v > 0)) return values;
    Console.Error.WriteLine($"{name} takes positive whole numbers, separated by commas.");
    Environment.Exit(2);
    return fallback;
}

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    if (index < 0) return fallback;
    if (index + 1 < args.Length && int.TryParse(args[index + 1], out var value) && value >= 1) return value;
    Console.Error.WriteLine($"{name} takes a positive whole number.");
    Environment.Exit(2);
    return fallback;
}

/// <summary>This process's garbage collections so far: by generation, and their pauses.</summary>
readonly record struct Collections(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    // A collection of a generation collects the younger ones too: CollectionCount(0) counts them all.
    public static Collections Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    public static Collections operator -(Collections a, Collections b) => new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Paused - b.Paused);
    public override string ToString() =>
        $"{Gen0} ({Gen1} of them reaching gen1, {Gen2} gen2); paused {Paused.TotalMilliseconds:F0} ms in all ({(GCSettings.IsServerGC ? "server" : "workstation")} GC)";
}

/// <summary>The load's work so far: appends, the sequencer's batches, the views' batches (a round trip each).</summary>
sealed class Work
{
    private long _appends, _sequencerBatches, _viewBatches;

    public void Appended() => Interlocked.Increment(ref _appends);
    public void Sequenced() => Interlocked.Increment(ref _sequencerBatches);
    public void Applied() => Interlocked.Increment(ref _viewBatches);
    public Counts Now() => new(Interlocked.Read(ref _appends), Interlocked.Read(ref _sequencerBatches), Interlocked.Read(ref _viewBatches));

    public readonly record struct Counts(long Appends, long SequencerBatches, long ViewBatches)
    {
        public static Counts operator -(Counts a, Counts b) => new(a.Appends - b.Appends, a.SequencerBatches - b.SequencerBatches, a.ViewBatches - b.ViewBatches);
    }
}
