using System.Text;
using System.Text.Json;
using NodaTime;
using Records.Api.Feeds;
using Records.Domain.Platform;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Projections;
using Records.Projections.Streams;
using Records.Testing;

namespace Records.Api.Tests.Feeds;

public class PlatformUploaderTests : IAsyncLifetime
{
    private const string Secret = "platform-shared-secret";
    private static readonly Pseudonymizer Pseudonyms = new("test-feed-key-of-at-least-32-bytes"u8.ToArray());
    private readonly EventStoreDatabase _database = new();
    private readonly HttpClient _http = new();
    private PostgresEventStore _store = null!;
    private Sequencer _sequencer = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new PostgresEventStore(_database.App);
        _sequencer = new Sequencer(_database.App);
        _sequencer.Start();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sequencer.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static PlatformOptions Options(Uri endpoint) => new(endpoint, "zj-platform", "ih-1", Secret, new Dictionary<string, FeedScope>
    {
        ["results"] = new(["lab.result_reported.v1"], [], false),
        ["samples"] = new(["lab.sample_taken.v1"], [], false),
    })
    {
        BatchSize = 4,
        MaxAttempts = 3,
        FirstRetryDelay = TimeSpan.FromMilliseconds(40),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(1),
    };

    private PlatformUploader Uploader(Receiver platform) => new(_store, _http, Pseudonyms, Options(platform.Url), SystemClock.Instance);

    [Fact]
    public async Task Every_regulated_event_reaches_the_platform_once_in_order_signed_pseudonymised_and_acknowledged()
    {
        await using var platform = await Receiver.StartAsync(acknowledge: true);
        var regulated = await AppendHistoryAsync(7);
        await using (var uploader = Uploader(platform))
        {
            uploader.Start();
            await FeedHostFixture.Eventually(async () => await StateAsync() is { Pending: null } state && state.ThroughSequence >= regulated[^1].Sequence);
        }

        var uploads = platform.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        var records = uploads.SelectMany(u => u.GetProperty("records").EnumerateArray()).ToList();
        Assert.Equal(regulated.Select(r => r.Id), records.Select(r => r.GetProperty("event").GetProperty("id").GetString()));
        Assert.Equal(regulated.Select(r => r.DataSet), records.Select(r => r.GetProperty("dataSet").GetString()));
        Assert.Equal(Enumerable.Range(1, uploads.Count).Select(n => (long)n), uploads.Select(u => u.GetProperty("uploadNumber").GetInt64()));
        Assert.All(platform.Requests, r => Assert.True(WebhookSignature.Verify(Secret, r.Id, r.Timestamp, r.Body, r.Signature)));
        Assert.All(platform.Requests, r => Assert.DoesNotContain("pt-zhao", Encoding.UTF8.GetString(r.Body)));

        // Its stream says what went and what came back, each upload starting where the one before ended.
        var stream = await StreamAsync();
        var sent = stream.OfType<UploadSent>().ToList();
        Assert.Equal(uploads.Count, sent.Count);
        Assert.Equal(sent.Select(s => s.UploadNumber), stream.OfType<UploadAcknowledged>().Select(a => a.UploadNumber));
        Assert.Equal([0L, .. sent.SkipLast(1).Select(s => s.ThroughSequence)], sent.Select(s => s.AfterSequence));
        Assert.Equal(["ack-1", "ack-2"], stream.OfType<UploadAcknowledged>().Take(2).Select(a => a.AcknowledgementRef));
    }

    [Fact]
    public async Task Failures_are_retried_under_the_same_number_a_refusal_is_given_up_and_a_restarted_uploader_resumes_from_its_stream()
    {
        await using var platform = await Receiver.StartAsync(acknowledge: true);
        var regulated = await AppendHistoryAsync(12);

        // Upload 1: 503, no answer, then accepted. Upload 2: refused (400). Then the uploader is stopped while upload 3 is failing.
        foreach (var answer in new[] { 503, 0, 200, 400, 503 }) platform.Script.Enqueue(answer);
        await using (var uploader = Uploader(platform))
        {
            uploader.Start();
            await FeedHostFixture.Eventually(async () => (await StreamAsync()).OfType<UploadFailed>().Count() >= 4);
        }

        await using (var uploader = Uploader(platform))
        {
            uploader.Start();
            await FeedHostFixture.Eventually(async () => await StateAsync() is { Pending: null } state && state.ThroughSequence >= regulated[^1].Sequence);
        }

        var stream = await StreamAsync();
        var failures = stream.OfType<UploadFailed>().ToList();
        Assert.Equal([(1L, 1, false), (1, 2, false), (2, 1, true), (3, 1, false)], failures.Select(f => (f.UploadNumber, f.Attempt, f.GivenUp)));
        Assert.Contains("no answer within 1 s", failures[1].Reason);
        Assert.Contains("400", failures[2].Reason);
        Assert.Equal([1L, 3], stream.OfType<UploadAcknowledged>().Select(a => a.UploadNumber));

        // Every upload number went out until acknowledged or given up, each time with the same records.
        var bodies = platform.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        foreach (var number in bodies.Select(b => b.GetProperty("uploadNumber").GetInt64()).Distinct())
        {
            var copies = bodies.Where(b => b.GetProperty("uploadNumber").GetInt64() == number).Select(b => b.GetProperty("records").GetRawText()).Distinct();
            Assert.Single(copies);
        }

        var delivered = bodies.DistinctBy(b => b.GetProperty("uploadNumber").GetInt64())
            .SelectMany(b => b.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("event").GetProperty("id").GetString()));
        Assert.Equal(regulated.Select(r => r.Id), delivered);
    }

    /// <summary>Lab results and samples (regulated) among billing events (not); returns the regulated ones in order.</summary>
    private async Task<List<(string Id, string DataSet, long Sequence)>> AppendHistoryAsync(int rounds)
    {
        var appended = new List<Guid>();
        for (var i = 0; i < rounds; i++)
        {
            appended.AddRange((await Append($"lab-{i % 3}", i % 2 == 0 ? "lab.result_reported.v1" : "lab.sample_taken.v1")).Events.Select(e => e.EventId));
            await Append($"billing-{i}", "billing.charged.v1");
        }

        await FeedHostFixture.Eventually(async () => await _store.ReadHeadAsync() >= 2 * rounds);
        var log = await _store.ReadAllAsync(0, 1000);
        return log.Where(e => appended.Contains(e.EventId))
            .Select(e => (e.EventId.ToString(), e.EventType == "lab.result_reported.v1" ? "results" : "samples", e.Sequence!.Value)).ToList();
    }

    private Task<AppendResult> Append(string stream, string type) =>
        _store.AppendAsync(stream, stream.Split('-')[0], ExpectedVersion.Any,
            [new EventData(type, JsonSerializer.SerializeToUtf8Bytes(new { patientId = "pt-zhao" }))], new EventMetadata { InstitutionId = "ih-1" });

    private async Task<List<IPlatformEvent>> StreamAsync()
    {
        var domain = new DomainStore(_store);
        var events = new List<IPlatformEvent>();
        await foreach (var recorded in _store.ReadStreamAsync("platform-zj-platform")) events.Add((IPlatformEvent)domain.Deserialize(recorded));
        return events;
    }

    private async Task<PlatformUploadState> StateAsync() => (await StreamAsync()).Aggregate(PlatformUploadState.Initial, PlatformUploadState.Evolve);
}
