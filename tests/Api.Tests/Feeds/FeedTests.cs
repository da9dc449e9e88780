using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Records.Api.Feeds;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Testing;
using Records.Projections;

namespace Records.Api.Tests.Feeds;

public class FeedTests : IAsyncLifetime
{
    private static readonly FeedScope Pharmacy = new(["prescription.*"], ["h1"], ClearIdentifiers: false);
    private static readonly FeedScope Everything = new(["*"], [], ClearIdentifiers: true);
    private readonly EventStoreDatabase _database = new();
    private PostgresEventStore _store = null!;
    private Sequencer _sequencer = null!;
    private LogTail _tail = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new PostgresEventStore(_database.App);
        _sequencer = new Sequencer(_database.App);
        _sequencer.Start();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_store);
        _tail = new LogTail(_store);
        await _tail.StartAsync();
        builder.Services.AddSingleton(_tail);
        builder.Services.AddSingleton(new Pseudonymizer("feed-test-key-of-at-least-32-bytes"u8.ToArray()));
        _app = builder.Build();
        _app.MapEventFeeds("/feed", context => context.Request.Headers["x-grant"].ToString() switch
        {
            "pharmacy" => Pharmacy,
            "all" => Everything,
            _ => null,
        }, keepAlive: TimeSpan.FromMilliseconds(200));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _tail.DisposeAsync();
        await _sequencer.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_pull_consumer_that_stops_and_resumes_from_its_cursor_gets_every_granted_event_once_in_order()
    {
        var granted = await AppendMixedHistory(30);
        await WaitForSequencing();

        var seen = new List<string>();
        long cursor = 0;
        for (var call = 0; call < 100 && seen.Count < granted.Count; call++)
        {
            // A new client each call: nothing but the cursor carries over, as after a crash.
            var page = await Pull("pharmacy", $"after={cursor}&limit=4");
            seen.AddRange(page.Events.Select(e => e.GetProperty("id").GetString()!));
            Assert.All(page.Events, e => Assert.StartsWith("prescription.", e.GetProperty("type").GetString()));
            Assert.All(page.Events, e => Assert.Equal("/institutions/h1", e.GetProperty("source").GetString()));
            cursor = page.Next;
        }

        Assert.Equal(granted.Select(g => g.ToString()), seen);
        Assert.Empty((await Pull("pharmacy", $"after={cursor}")).Events);
    }

    [Fact]
    public async Task A_pull_at_the_head_waits_for_the_next_event()
    {
        await AppendMixedHistory(2);
        await WaitForSequencing();
        var head = await _store.ReadHeadAsync();

        var waiting = Pull("all", $"after={head}&wait=20");
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        var appended = await _store.AppendAsync("late", "late", ExpectedVersion.Any, [new EventData("late.arrived.v1", "{}"u8.ToArray())], EventMetadata.None);

        var page = await waiting;
        Assert.Equal(appended.Events[0].EventId.ToString(), Assert.Single(page.Events).GetProperty("id").GetString());
        Assert.Equal(head + 1, page.Next);
        var empty = await Pull("all", $"after={page.Next}&wait=1");
        Assert.Empty(empty.Events);
        Assert.Equal(page.Next, empty.Next);
    }

    [Fact]
    public async Task Server_sent_events_resume_from_the_last_event_id_without_loss_or_repeat_and_keep_alive()
    {
        var granted = await AppendMixedHistory(20);
        await WaitForSequencing();

        var first = await ReadSse("pharmacy", lastEventId: null, count: 7);
        var rest = await ReadSse("pharmacy", lastEventId: first.Ids[^1], count: granted.Count - 7);

        Assert.Equal(granted.Select(g => g.ToString()), first.Events.Concat(rest.Events));
        var idle = await ReadSse("pharmacy", lastEventId: rest.Ids[^1], count: 0, listenFor: TimeSpan.FromMilliseconds(700));
        Assert.True(idle.KeepAlives >= 2, "an idle stream sends keep-alive comments");
    }

    [Fact]
    public async Task Bad_parameters_and_missing_grants_get_typed_errors()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Get("nobody", "")).StatusCode);
        foreach (var (query, code) in new[] { ("after=-1", "invalid_after"), ("limit=0", "invalid_limit"), ("limit=5000", "invalid_limit"), ("wait=99", "invalid_wait"), ("after=abc", "invalid_after") })
        {
            using var response = await Get("all", query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        }
    }

    /// <summary>Appends prescription events in h1 (granted to the pharmacy) among others; returns the granted ids in order.</summary>
    private async Task<List<Guid>> AppendMixedHistory(int rounds)
    {
        var granted = new List<Guid>();
        for (var i = 0; i < rounds; i++)
        {
            var rx = await _store.AppendAsync($"prescription-{i % 4}", "prescription", ExpectedVersion.Any,
                [new EventData("prescription.approved.v1", JsonSerializer.SerializeToUtf8Bytes(new { patientId = "pt-1", n = i }))], new EventMetadata { InstitutionId = "h1" });
            granted.AddRange(rx.Events.Select(e => e.EventId));
            await _store.AppendAsync($"consultation-{i}", "consultation", ExpectedVersion.Any, [new EventData("consultation.opened.v1", "{}"u8.ToArray())], new EventMetadata { InstitutionId = "h1" });
            await _store.AppendAsync($"prescription-b{i}", "prescription", ExpectedVersion.Any, [new EventData("prescription.approved.v1", "{}"u8.ToArray())], new EventMetadata { InstitutionId = "h2" });
        }
        return granted;
    }

    // Until the log tail, which the feed reads, holds every appended event: the log's own head can be ahead of it for a
    // moment, and a pull then answers from the tail that nothing is new yet.
    private async Task WaitForSequencing()
    {
        await using var count = _database.Admin.CreateCommand("select count(*) from eventstore.events");
        var total = (long)(await count.ExecuteScalarAsync())!;
        Assert.True(await _tail.WaitForEventsAfterAsync(total - 1, TimeSpan.FromSeconds(30)));
    }

    private Task<HttpResponseMessage> Get(string grant, string query)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/feed?" + query);
        request.Headers.Add("x-grant", grant);
        return _client.SendAsync(request);
    }

    private async Task<(List<JsonElement> Events, long Next)> Pull(string grant, string query)
    {
        using var response = await Get(grant, query);
        response.EnsureSuccessStatusCode();
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (page.GetProperty("events").EnumerateArray().ToList(), page.GetProperty("next").GetInt64());
    }

    private async Task<(List<string> Events, List<string> Ids, int KeepAlives)> ReadSse(string grant, string? lastEventId, int count, TimeSpan? listenFor = null)
    {
        using var stop = new CancellationTokenSource(listenFor ?? TimeSpan.FromSeconds(30));
        var request = new HttpRequestMessage(HttpMethod.Get, "/feed/stream");
        request.Headers.Add("x-grant", grant);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        var events = new List<string>();
        var ids = new List<string>();
        var keepAlives = 0;
        try
        {
            while ((events.Count < count || listenFor is not null) && await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal)) ids.Add(line[4..]);
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(JsonDocument.Parse(line[6..]).RootElement.GetProperty("id").GetString()!);
                else if (line.StartsWith(": keep-alive", StringComparison.Ordinal)) keepAlives++;
            }
        }
        catch (OperationCanceledException) when (listenFor is not null)
        {
        }
        return (events, ids, keepAlives);
    }
}
