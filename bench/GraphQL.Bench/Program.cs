// Times this engine against graphql-js 17 on the same schema, root value and documents, in one run:
//   1. per operation: parse + validate + execute (and with the document cache) against graphql-js's graphql()
//      (and its execute() of a pre-parsed document);
//   2. requests/s over HTTP on loopback: our MapGraphQL endpoint against graphql-http's node handler, hit by the same
//      load loop at the same concurrency.
// Usage: dotnet run -c Release --project bench/GraphQL.Bench [seconds-per-measurement]
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Records.GraphQL.Bench;
using Records.GraphQL.Http;
using Records.GraphQL.Server;
using Records.GraphQL.Types;

var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
const int Concurrency = 32, Rounds = 3;
const double OperationGoal = 3.0, ThroughputGoal = 2.0;

var js = JsBench.Prepare();
var schema = SchemaBuilder.FromSdl(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema.graphql")));
var documents = new Dictionary<string, string>
{
    ["three fields"] = "{ hello version status }",
    ["nested list (100 objects)"] = "{ authors { id name books { id title pages } } }",
    ["introspection"] = js.Run("bench.mjs", "introspection-query"),
};
// graphql-js applies no protective limits, so neither do we here: both engines do the same work.
var unlimited = new GraphQLServerOptions { MaxDepth = null, MaxAliases = null, MaxFields = null, ExecutionTimeout = null };

Console.WriteLine($"GraphQL benchmark: {Environment.ProcessorCount} cores, {seconds:0.#} s per measurement, best of {Rounds} rounds, .NET {Environment.Version}, node {js.Run("--version").Trim()}");
Console.WriteLine("(the engines take turns round by round and each keeps its best figure, so load from other processes skews neither)");
Console.WriteLine();

var fullServer = new GraphQLServer(schema, unlimited with { DocumentCacheSize = 0 });
var cachedServer = new GraphQLServer(schema, unlimited);
var best = documents.Keys.ToDictionary(name => name, _ => (Full: double.MaxValue, Cached: double.MaxValue, JsFull: double.MaxValue, JsExecute: double.MaxValue));
for (var round = 0; round < Rounds; round++)
{
    var jsTimes = js.TimeOperations(documents, seconds);
    foreach (var (name, text) in documents)
    {
        var (full, cached, jsFull, jsExecute) = best[name];
        best[name] = (
            Math.Min(full, await TimeOperation(fullServer, text, seconds)),
            Math.Min(cached, await TimeOperation(cachedServer, text, seconds)),
            Math.Min(jsFull, jsTimes[name].Full),
            Math.Min(jsExecute, jsTimes[name].ExecuteOnly));
    }
}

Console.WriteLine("Per operation (µs; lower is better)       ours   ours+cache  graphql-js  js execute()   ratio  cached/graphql()  cached/execute()");
var worst = double.MaxValue;
foreach (var (name, (full, cached, jsFull, jsExecute)) in best)
{
    worst = Math.Min(worst, jsFull / full);
    Console.WriteLine($"  {name,-28} {full / 1000,10:0.0} {cached / 1000,12:0.0} {jsFull / 1000,11:0.0} {jsExecute / 1000,13:0.0} {jsFull / full,7:0.0}x {jsFull / cached,16:0.0}x {jsExecute / cached,16:0.0}x");
}
Console.WriteLine($"  goal: at least {OperationGoal}x faster than graphql-js (our parse+validate+execute against its graphql()); worst ratio {worst:0.0}x: {(worst >= OperationGoal ? "met" : "NOT met")}");
Console.WriteLine("  (cached: our request whose document is in the cache, against graphql() and against execute() of a document graphql-js parsed and validated beforehand)");

Console.WriteLine();
Console.WriteLine($"HTTP on loopback, POST, {Concurrency} concurrent requests (requests/s; higher is better)");
await using (var ours = await OurServer.StartAsync(schema))
using (var theirs = js.Serve())
{
    var worstThroughput = double.MaxValue;
    foreach (var name in new[] { "three fields", "nested list (100 objects)" })
    {
        var body = JsonSerializer.Serialize(new { query = documents[name] });
        double oursRate = 0, theirsRate = 0;
        for (var round = 0; round < Rounds; round++)
        {
            oursRate = Math.Max(oursRate, await LoadLoop.RequestsPerSecond(ours.Endpoint, body, Concurrency, seconds * 2));
            theirsRate = Math.Max(theirsRate, await LoadLoop.RequestsPerSecond(theirs.Endpoint, body, Concurrency, seconds * 2));
        }
        worstThroughput = Math.Min(worstThroughput, oursRate / theirsRate);
        Console.WriteLine($"  {name,-28} ours {oursRate,9:0}   graphql-http {theirsRate,9:0}   ratio {oursRate / theirsRate,5:0.0}x");
    }
    Console.WriteLine($"  goal: at least {ThroughputGoal}x graphql-http's requests/s; worst ratio {worstThroughput:0.0}x: {(worstThroughput >= ThroughputGoal ? "met" : "NOT met")}");
}

// Nanoseconds per request through the server pipeline, measured as bench.mjs measures graphql-js.
static async Task<double> TimeOperation(GraphQLServer server, string text, double seconds)
{
    var request = new GraphQLRequest { Query = text };
    var context = new GraphQLRequestContext { RootValue = BenchData.RootValue };
    var check = await server.ExecuteAsync(request, context);
    if (check.Errors is not null) throw new InvalidOperationException("The benchmark document failed: " + check.ToJson());
    for (var i = 0; i < 200; i++) await server.ExecuteAsync(request, context);
    var budget = TimeSpan.FromSeconds(seconds);
    var iterations = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < budget)
    {
        for (var i = 0; i < 50; i++) await server.ExecuteAsync(request, context);
        iterations += 50;
    }
    return clock.Elapsed.TotalNanoseconds / iterations;
}

namespace Records.GraphQL.Bench
{
    /// <summary>The root value both engines resolve from: 25 authors with 3 books each (as bench.mjs builds it).</summary>
    internal static class BenchData
    {
        public static Dictionary<string, object?> RootValue { get; } = new()
        {
            ["hello"] = "world",
            ["version"] = 3,
            ["status"] = "OK",
            ["authors"] = Enumerable.Range(1, 25).Select(a => new Dictionary<string, object?>
            {
                ["id"] = a.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["name"] = $"Author {a}",
                ["books"] = Enumerable.Range(1, 3).Select(b => new Dictionary<string, object?>
                {
                    ["id"] = $"{a}-{b}",
                    ["title"] = $"Book {b} of author {a}",
                    ["pages"] = 99 + b,
                }).ToList(),
            }).ToList(),
        };
    }

    /// <summary>Our endpoint, in this process, on a free loopback port.</summary>
    internal sealed class OurServer(WebApplication app, Uri endpoint) : IAsyncDisposable
    {
        public Uri Endpoint { get; } = endpoint;

        public static async Task<OurServer> StartAsync(Schema schema)
        {
            var builder = WebApplication.CreateSlimBuilder();
            var port = FreePort.Next();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapGraphQL("/graphql", schema, new GraphQLEndpointOptions
            {
                ConfigureRequest = (_, context) =>
                {
                    context.RootValue = BenchData.RootValue;
                    return ValueTask.CompletedTask;
                },
            });
            await app.StartAsync();
            return new OurServer(app, new Uri($"http://127.0.0.1:{port}/graphql"));
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    internal static class FreePort
    {
        public static int Next()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    /// <summary>The same closed-loop load for both servers: a fixed number of workers, each sending its next request as the last one returns.</summary>
    internal static class LoadLoop
    {
        public static async Task<double> RequestsPerSecond(Uri endpoint, string body, int concurrency, double seconds)
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false });
            await Run(client, endpoint, body, concurrency, TimeSpan.FromSeconds(1));   // warm-up
            var clock = Stopwatch.StartNew();
            var count = await Run(client, endpoint, body, concurrency, TimeSpan.FromSeconds(seconds));
            return count / clock.Elapsed.TotalSeconds;
        }

        private static async Task<long> Run(HttpClient client, Uri endpoint, string body, int concurrency, TimeSpan duration)
        {
            long count = 0;
            var clock = Stopwatch.StartNew();
            var bytes = Encoding.UTF8.GetBytes(body);
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (clock.Elapsed < duration)
                {
                    using var content = new ByteArrayContent(bytes);
                    content.Headers.ContentType = new("application/json");
                    using var response = await client.PostAsync(endpoint, content);
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{endpoint} answered {(int)response.StatusCode}.");
                    Interlocked.Increment(ref count);
                }
            }));
            return count;
        }
    }

    /// <summary>graphql-js's side: bench/GraphQL.Bench/js/bench.mjs run with node (its npm packages installed from the lockfile).</summary>
    internal sealed class JsBench(string directory, string node)
    {
        public static JsBench Prepare()
        {
            var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(d => Path.Combine(d, "node")).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("node was not found on PATH; the benchmark compares against graphql-js on node.");
            var directory = FindScripts();
            if (!Directory.Exists(Path.Combine(directory, "node_modules", "graphql")))
            {
                var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund --loglevel=error") { WorkingDirectory = directory })!;
                npm.WaitForExit();
                if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci failed in {directory}.");
            }
            return new JsBench(directory, node);
        }

        public string Run(params string[] arguments)
        {
            using var process = Process.Start(Start(arguments))!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"node {string.Join(' ', arguments)} failed: {error.Result}");
            return output.Result;
        }

        public Dictionary<string, (double Full, double ExecuteOnly)> TimeOperations(Dictionary<string, string> documents, double seconds)
        {
            var input = Path.GetTempFileName();
            File.WriteAllText(input, JsonSerializer.Serialize(new { seconds, documents }));
            try
            {
                var results = JsonDocument.Parse(Run("bench.mjs", "operations", input)).RootElement;
                return documents.Keys.ToDictionary(name => name, name =>
                    (results.GetProperty(name).GetProperty("full").GetDouble(), results.GetProperty(name).GetProperty("executeOnly").GetDouble()));
            }
            finally
            {
                File.Delete(input);
            }
        }

        public NodeServer Serve()
        {
            var port = FreePort.Next();
            var process = Process.Start(Start(["bench.mjs", "serve", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
            if (process.StandardOutput.ReadLine() != "listening")
                throw new InvalidOperationException("graphql-http's server did not start: " + process.StandardError.ReadToEnd());
            return new NodeServer(process, new Uri($"http://127.0.0.1:{port}/graphql"));
        }

        private ProcessStartInfo Start(IEnumerable<string> arguments)
        {
            var start = new ProcessStartInfo(node) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            return start;
        }

        private static string FindScripts()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "GraphQL.Bench", "js");
                if (File.Exists(Path.Combine(candidate, "bench.mjs"))) return candidate;
            }
            throw new InvalidOperationException("bench/GraphQL.Bench/js was not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The node process serving graphql-http's handler; ended when disposed.</summary>
    internal sealed class NodeServer(Process process, Uri endpoint) : IDisposable
    {
        public Uri Endpoint { get; } = endpoint;

        public void Dispose()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }
}
