using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;
using NodaTime;
using Records.Api.Identity;
using Records.Domain;

namespace Records.Api.Tests.Hosting;

/// <summary>
/// The built program run as people run it, on its embedded default (a private PostgreSQL cluster of its
/// own): JSON logs with a line per request, and Ctrl-C (SIGINT to the whole process group, as a terminal
/// sends it) stops the program and its database cleanly.
/// </summary>
public sealed partial class ProductProcessTests : IAsyncLifetime
{
    private const string SigningKey = "records-process-test-signing-key-0123456789";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "records-api-tests", "process-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _output = new();
    private Process _product = null!;

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    public async Task InitializeAsync()
    {
        // setsid: the program leads a process group of its own, like a command started from a terminal.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Records.Api"), "--urls=http://127.0.0.1:0", $"--Records:DataDirectory={_dataFolder}",
                     $"--Records:Identity:SigningKey={SigningKey}", "--Records:Demo:Skip=true", "--Records:Logging:Format=json",
                 })
            start.ArgumentList.Add(argument);
        _product = Process.Start(start)!;
        _product.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _product.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _product.BeginOutputReadLine();
        _product.BeginErrorReadLine();
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (!_product.HasExited)
        {
            _product.Kill(entireProcessTree: true);
            await _product.WaitForExitAsync();
        }
        _product.Dispose();
        if (Directory.Exists(_dataFolder)) Directory.Delete(_dataFolder, recursive: true);
    }

    private async Task<Uri> ListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_output.Select(l => Listening().Match(l)).FirstOrDefault(m => m.Success) is { } match) return new Uri(match.Groups[1].Value);
            Assert.False(_product.HasExited, "The program ended before it listened:\n" + string.Join("\n", _output));
            await Task.Delay(100);
        }
        throw new TimeoutException("The program did not listen within 2 minutes:\n" + string.Join("\n", _output));
    }

    private static string Token(string subject) =>
        new TokenIssuer(new IdentityOptions(IdentityOptions.DefaultIssuer, IdentityOptions.DefaultAudience, new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey))),
            SystemClock.Instance).Issue(subject, Role.Physician, realNameVerified: true, lifetime: Duration.FromMinutes(5));

    /// <summary>The processes whose command line names the data folder: the program's PostgreSQL server.</summary>
    private List<int> PostgresOfTheDataFolder() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => int.TryParse(d, out _)).Select(int.Parse!)
            .Where(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(_dataFolder, StringComparison.Ordinal); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            })
            .ToList();

    [Fact]
    public async Task Ctrl_C_stops_the_program_and_its_database_and_the_logs_are_json_with_a_line_per_request()
    {
        var url = await ListeningAsync();
        Assert.NotEmpty(PostgresOfTheDataFolder());
        var token = Token("doctor-process");
        using (var http = new HttpClient { BaseAddress = url })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/patients/pt-secret/record")).StatusCode);
        }

        var stopping = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-INT", "--", "-" + _product.Id]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            await _product.WaitForExitAsync(timeout.Token);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"took {stopping.Elapsed}");
        Assert.True(_product.ExitCode == 0, $"exit code {_product.ExitCode}:\n{string.Join("\n", _output)}");
        Assert.Empty(PostgresOfTheDataFolder());
        Assert.False(File.Exists(Path.Combine(_dataFolder, "postmaster.pid")));

        var lines = _output.ToList();
        // Every line, from the database's start to the end, is one JSON object for a log collector.
        Assert.True(lines.All(l => l.StartsWith('{')), "Lines that are not JSON:\n" + string.Join("\n", lines.Where(l => !l.StartsWith('{'))));
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.StartsWith("No connection string configured"));
        var requests = entries.Where(e => e.GetProperty("Category").GetString() == "Records.Requests").Select(e => e.GetProperty("State")).ToList();
        var me = requests.Single(s => s.GetProperty("Path").GetString() == "/me");
        Assert.Equal("GET", me.GetProperty("Method").GetString());
        Assert.Equal(200, me.GetProperty("StatusCode").GetInt32());
        Assert.Equal("doctor-process", me.GetProperty("ActorId").GetString());
        Assert.Matches("^[0-9a-f]{32}$", me.GetProperty("TraceId").GetString());
        Assert.True(me.TryGetProperty("DurationMs", out _));
        // The record's route is logged by its template: the patient's id stays out of the log, as does the token.
        var record = requests.Single(s => s.GetProperty("Path").GetString()!.StartsWith("/patients/"));
        Assert.Equal(401, record.GetProperty("StatusCode").GetInt32());
        Assert.Equal("anonymous", record.GetProperty("ActorId").GetString());
        Assert.True(!lines.Any(l => l.Contains("pt-secret") || l.Contains(token)), string.Join("\n", lines.Where(l => l.Contains("pt-secret") || l.Contains(token))));
    }
}
