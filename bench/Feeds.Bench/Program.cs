using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Records.Api.Feeds;
using Records.Api.Hosting;
using Records.Api.Identity;
using Records.Bench;
using Records.Domain;
using Records.EventStore;

// Fan-out of the event feeds: the real host (src/Api) on a fresh database, 20 subscribers (SSE streams, GraphQL
// subscriptions over graphql-transport-ws, webhooks to a local receiver), a steady write load; events/s delivered and
// the delivery lag (from the append's commit, as its writer saw it return, to the event's arrival at the subscriber) p50/p99.
// Baseline in the same run: the event store's own subscription (no HTTP, no JSON), which every feed sits on.
// Usage: dotnet run -c Release --project bench/Feeds.Bench [-- --rate 200 --seconds 20 --sse 7 --graphql 7 --webhooks 6 --batch 50]
// --batch: events a webhook request carries at most: CloudEvents JSON batches of what is waiting, as a busy integrator
// registers them; --batch 1 is one CloudEvent a request, which keeps up only while a round trip is shorter than 1/rate.
var rate = ArgValue("--rate", 200);          // events appended per second
var seconds = ArgValue("--seconds", 20);
var sseCount = ArgValue("--sse", 7);
var graphqlCount = ArgValue("--graphql", 7);
var webhookCount = ArgValue("--webhooks", 6);
var webhookBatch = ArgValue("--batch", 50);
const double GoalP99Ms = 100;

await using var bench = await BenchDatabase.CreateAsync("records-feeds-bench-pg", durable: false);
var folder = Path.Combine(Path.GetTempPath(), "records-feeds-bench", Guid.NewGuid().ToString("N"));
await using var host = await RecordsHost.BuildAsync(
[
    "--urls=http://127.0.0.1:0",
    $"--ConnectionStrings:Records={bench.AdminConnectionString}", // the host migrates its own schemas: the superuser here
    $"--Records:DataDirectory={folder}",
    "--Records:Identity:SigningKey=records-feeds-bench-signing-key-0123456789",
    "--Records:Demo:Skip=true",
    "--Records:Feeds:Webhooks:AllowPrivateNetworks=true", // the receiver listens on the loopback address
    "--Logging:LogLevel:Default=Warning",
]);
await host.App.StartAsync();
var baseAddress = new Uri(host.App.Urls.First());
var store = host.App.Services.GetRequiredService<PostgresEventStore>();
var token = host.App.Services.GetRequiredService<TokenIssuer>()
    .Issue("bench-integrator", Role.Integrator, true, grant: new FeedScope(["bench.*"], [], ClearIdentifiers: false));

Console.WriteLine($"Records feeds benchmark: {sseCount} SSE + {graphqlCount} GraphQL subscriptions + {webhookCount} webhooks ({(webhookBatch == 1 ? "one event a request" : $"batches of up to {webhookBatch}")}), {rate} events/s for {seconds} s");
Console.WriteLine($"machine: {Machine.Describe()} (other work on the machine slows every figure)");

// Every subscriber notes each event's lag on arrival; the first arrival of an id per subscriber counts.
var subscribers = new List<Subscriber>();
using var stop = new CancellationTokenSource();
var running = new List<Task>();
var head = await store.ReadHeadAsync();

var baseline = new Subscriber("store subscription");
running.Add(Task.Run(async () =>
{
    try
    {
        await foreach (var batch in store.SubscribeBatchesAsync(head, 500, stop.Token))
            foreach (var e in batch) baseline.Arrived(e.EventId.ToString());
    }
    catch (OperationCanceledException)
    {
    }
}));

using var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
for (var i = 0; i < sseCount; i++)
{
    var s = new Subscriber($"sse-{i}");
    subscribers.Add(s);
    running.Add(Task.Run(() => FollowSseAsync(s)));
}

for (var i = 0; i < graphqlCount; i++)
{
    var s = new Subscriber($"graphql-{i}");
    subscribers.Add(s);
    running.Add(Task.Run(() => FollowGraphQLAsync(s)));
}

// The webhook receiver: one local Kestrel app, one path per subscription.
var receiverBuilder = WebApplication.CreateSlimBuilder();
receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
receiverBuilder.Logging.ClearProviders();
var receiver = receiverBuilder.Build();
var hooks = new ConcurrentDictionary<string, Subscriber>();
receiver.MapPost("/hook/{name}", async (string name, HttpContext context) =>
{
    using var body = await JsonDocument.ParseAsync(context.Request.Body);
    if (body.RootElement.ValueKind == JsonValueKind.Array)
        foreach (var e in body.RootElement.EnumerateArray()) hooks[name].Arrived(e.GetProperty("id").GetString()!);
    else hooks[name].Arrived(body.RootElement.GetProperty("id").GetString()!);
    return Results.Ok();
});
await receiver.StartAsync();
var registry = host.App.Services.GetRequiredService<WebhookRegistry>();
for (var i = 0; i < webhookCount; i++)
{
    var s = new Subscriber($"webhook-{i}");
    subscribers.Add(s);
    hooks[s.Name] = s;
    await registry.RegisterAsync("bench-integrator", new Uri($"{receiver.Urls.First()}/hook/{s.Name}"), new FeedScope(["bench.*"], [], false), head, webhookBatch);
}

await Task.Delay(TimeSpan.FromSeconds(2)); // every subscriber connected and at the head

// Warm-up, not measured: every path (appends, the sequencer, each feed, the webhooks' HTTP clients) runs once before
// the clock starts, so that compiling it is not counted as lag.
for (var i = 0; i < 100; i++)
{
    var id = Guid.CreateVersion7();
    Subscriber.WarmUp(id.ToString()); // before it can arrive
    await store.AppendAsync($"bench-warmup-{i % 10}", "bench", ExpectedVersion.Any,
        [new EventData("bench.warmup.v1", JsonSerializer.SerializeToUtf8Bytes(new { n = i }), id)], new EventMetadata { InstitutionId = "ih-bench" });
}
for (var warming = Stopwatch.StartNew(); subscribers.Append(baseline).Any(s => s.WarmedUp < 100) && warming.Elapsed < TimeSpan.FromSeconds(60);)
    await Task.Delay(100);

// The steady write load: one append every 1/rate s, each its own stream (as commands of many records are), up to 32
// in flight, so a slow commit does not hold back the next.
var writing = Stopwatch.StartNew();
var interval = TimeSpan.FromSeconds(1.0 / rate);
var inFlight = new SemaphoreSlim(32);
var appends = new List<Task>();
for (var n = 0; writing.Elapsed < TimeSpan.FromSeconds(seconds); n++)
{
    var due = interval * n;
    if (due > writing.Elapsed) await Task.Delay(due - writing.Elapsed);
    await inFlight.WaitAsync();
    var i = n;
    appends.Add(Task.Run(async () =>
    {
        try
        {
            var result = await store.AppendAsync($"bench-{i % 500}", "bench", ExpectedVersion.Any,
                [new EventData("bench.tick.v1", JsonSerializer.SerializeToUtf8Bytes(new { n = i, patientId = $"pt-{i % 97}" }))], new EventMetadata { InstitutionId = "ih-bench" });
            Subscriber.Committed(result.Events[0].EventId.ToString());
        }
        finally
        {
            inFlight.Release();
        }
    }));
}

await Task.WhenAll(appends);
var written = writing.Elapsed;
// What every subscriber must end with: the log's events after the start, in the log's order.
var appended = new List<string>();
for (var position = head; appended.Count < appends.Count;)
{
    var page = await store.ReadAllAsync(position, 1000);
    if (page.Count == 0)
    {
        await Task.Delay(50); // the last appends are still being sequenced
        continue;
    }

    appended.AddRange(page.Where(e => e.EventType == "bench.tick.v1").Select(e => e.EventId.ToString()));
    position = page[^1].Sequence!.Value;
}

var drain = Stopwatch.StartNew();
while (subscribers.Append(baseline).Any(s => s.Count < appended.Count) && drain.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(100);
await stop.CancelAsync();
await Task.WhenAll(running);
await receiver.StopAsync();

Console.WriteLine($"appended {appended.Count:N0} events in {written.TotalSeconds:F1} s ({appended.Count / written.TotalSeconds:N0} events/s)");
Console.WriteLine();
Console.WriteLine($"{"subscriber",-20} {"events",8} {"in order",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
foreach (var s in subscribers.Prepend(baseline)) Console.WriteLine(s.Line(appended));
var all = subscribers.SelectMany(s => s.Lags).Order().ToArray();
var baselineP99 = baseline.Percentile(0.99);
var delivered = subscribers.Sum(s => s.Count);
Console.WriteLine();
Console.WriteLine($"delivered {delivered:N0} events to {subscribers.Count} subscribers: {delivered / written.TotalSeconds:N0} events/s");
foreach (var kind in new[] { "sse", "graphql", "webhook" })
{
    var lags = subscribers.Where(s => s.Name.StartsWith(kind, StringComparison.Ordinal)).SelectMany(s => s.Lags).Order().ToArray();
    if (lags.Length > 0) Console.WriteLine($"{kind,-8} lag p50 {Subscriber.Percentile(lags, 0.5),7:F1} ms  p99 {Subscriber.Percentile(lags, 0.99),7:F1} ms");
}

var p99 = Subscriber.Percentile(all, 0.99);
Console.WriteLine($"all      lag p50 {Subscriber.Percentile(all, 0.5),7:F1} ms  p99 {p99,7:F1} ms   goal p99 <= {GoalP99Ms} ms: {(p99 <= GoalP99Ms ? "met" : "NOT met")}");
Console.WriteLine($"baseline (the store's own subscription) p99 {baselineP99:F1} ms: the feeds add {p99 - baselineP99:F1} ms at p99");
Console.WriteLine($"machine after the run: {Machine.Describe()}");
await host.App.StopAsync();
if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
return;

async Task FollowSseAsync(Subscriber s)
{
    try
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/feed/stream?after={head}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            using var json = JsonDocument.Parse(line.AsMemory(6));
            s.Arrived(json.RootElement.GetProperty("id").GetString()!);
        }
    }
    catch (OperationCanceledException)
    {
    }
}

async Task FollowGraphQLAsync(Subscriber s)
{
    using var socket = new ClientWebSocket();
    socket.Options.AddSubProtocol("graphql-transport-ws");
    socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
    try
    {
        await socket.ConnectAsync(new Uri(baseAddress.ToString().Replace("http://", "ws://") + "graphql"), stop.Token);
        await Send("""{"type":"connection_init"}""");
        await Send(JsonSerializer.Serialize(new
        {
            id = "1", type = "subscribe",
            payload = new { query = "subscription($after: String) { eventAppended(after: $after) { id time } }", variables = new { after = head.ToString() } },
        }));
        var buffer = new byte[1 << 16];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), stop.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close) return;
            using var message = JsonDocument.Parse(buffer.AsMemory(0, length));
            if (message.RootElement.GetProperty("type").GetString() != "next") continue;
            var e = message.RootElement.GetProperty("payload").GetProperty("data").GetProperty("eventAppended");
            s.Arrived(e.GetProperty("id").GetString()!);
        }
    }
    catch (OperationCanceledException)
    {
    }

    Task Send(string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, stop.Token);
}

static int ArgValue(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}

/// <summary>
/// One subscriber's arrivals: each event id once, in arrival order. Its lag is from the append's commit, as its writer saw
/// it return (the database's recorded time is the transaction's start, before the append's own round trips), to the
/// arrival, both on this process's clock; an event may arrive before its writer's thread has noted the commit: lag 0.
/// </summary>
internal sealed class Subscriber(string name)
{
    private static readonly ConcurrentDictionary<string, long> CommittedAt = new();
    private static readonly ConcurrentDictionary<string, bool> WarmUpIds = new();
    private int _warmedUp;
    private readonly Lock _gate = new();
    private readonly List<string> _ids = [];
    private readonly List<long> _arrivedAt = [];
    private readonly HashSet<string> _seen = [];

    public string Name => name;

    public static void Committed(string id) => CommittedAt[id] = Stopwatch.GetTimestamp();

    public static void WarmUp(string id) => WarmUpIds[id] = true;

    /// <summary>Warm-up events received (not measured).</summary>
    public int WarmedUp => Volatile.Read(ref _warmedUp);

    public List<double> Lags
    {
        get
        {
            lock (_gate)
                return _ids.Select((id, i) => CommittedAt.TryGetValue(id, out var committed)
                    ? Math.Max(0, Stopwatch.GetElapsedTime(committed, _arrivedAt[i]).TotalMilliseconds)
                    : double.NaN).Where(lag => !double.IsNaN(lag)).ToList();
        }
    }

    public int Count
    {
        get
        {
            lock (_gate) return _ids.Count;
        }
    }

    public void Arrived(string id)
    {
        var now = Stopwatch.GetTimestamp();
        if (WarmUpIds.ContainsKey(id))
        {
            Interlocked.Increment(ref _warmedUp);
            return;
        }
        lock (_gate)
        {
            if (!_seen.Add(id)) return;
            _ids.Add(id);
            _arrivedAt.Add(now);
        }
    }

    public double Percentile(double p) => Percentile(Lags.Order().ToArray(), p);

    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>Its row: how many it got, whether exactly the appended events in their order, and its lag.</summary>
    public string Line(IReadOnlyList<string> appended)
    {
        string inOrder;
        int count;
        lock (_gate) (inOrder, count) = (_ids.SequenceEqual(appended) ? "yes" : "NO", _ids.Count);
        var sorted = Lags.Order().ToArray();
        return $"{name,-20} {count,8:N0} {inOrder,9} {Percentile(sorted, 0.5),8:F1} {Percentile(sorted, 0.99),8:F1} {sorted.LastOrDefault(),8:F1}";
    }
}
