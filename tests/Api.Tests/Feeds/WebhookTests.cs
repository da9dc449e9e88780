using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Records.Api.Feeds;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Testing;
using Records.Projections;

namespace Records.Api.Tests.Feeds;

public class WebhookTests : IAsyncLifetime
{
    private static readonly Pseudonymizer Pseudonyms = new("test-feed-key-of-at-least-32-bytes"u8.ToArray());
    private readonly EventStoreDatabase _database = new();
    private PostgresEventStore _store = null!;
    private Sequencer _sequencer = null!;
    private LogTail _tail = null!;
    private WebhookRegistry _registry = null!;
    private readonly HttpClient _http = new();

    // The receivers here listen on the loopback address.
    private static readonly WebhookEndpointPolicy LocalReceivers = new(AllowPrivateNetworks: true, AllowedHosts: []);

    private static readonly WebhookOptions Fast = new()
    {
        Endpoints = LocalReceivers,
        MaxAttempts = 4,
        FirstRetryDelay = TimeSpan.FromMilliseconds(40),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(4), // generous (the receiver's silence is 6 s): a slow answer on a loaded machine must not count as none
        BatchSize = 7,
    };

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await WebhookRegistry.MigrateAsync(_database.Admin);
        _store = new PostgresEventStore(_database.App);
        _registry = new WebhookRegistry(_database.App, LocalReceivers);
        _sequencer = new Sequencer(_database.App);
        _sequencer.Start();
        _tail = new LogTail(_store);
        await _tail.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _tail.DisposeAsync();
        await _sequencer.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Granted_events_arrive_once_in_order_signed_and_pseudonymised_and_nothing_else_arrives()
    {
        await using var receiver = await Receiver.StartAsync();
        var (subscription, secret) = await _registry.RegisterAsync("pharmacy-1", receiver.Url, new FeedScope(["prescription.*"], ["h1"], ClearIdentifiers: false), fromSequence: 0);
        await using var dispatcher = new WebhookDispatcher(_tail, _http, Pseudonyms, Fast);
        dispatcher.Start();

        var granted = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            granted.AddRange(await Append($"prescription-{i % 3}", "prescription.approved.v1", "h1", new { patientId = "pt-zhang", prescriptionId = $"rx-{i}" }));
            await Append($"consultation-{i}", "consultation.opened.v1", "h1", new { patientId = "pt-zhang" });       // type not granted
            await Append($"prescription-x{i}", "prescription.approved.v1", "h2", new { patientId = "pt-li" });       // institution not granted
        }

        // Done when the subscription has passed the whole log, the events outside the grant included.
        await using (var count = _database.Admin.CreateCommand("select count(*) from eventstore.events"))
        {
            var appended = (long)(await count.ExecuteScalarAsync())!;
            await WaitFor(() => _registry.ListAsync("pharmacy-1").GetAwaiter().GetResult().Single().Position == appended);
        }
        Assert.Equal(granted.Select(g => g.ToString()), receiver.DeliveredIds);
        foreach (var request in receiver.Requests)
        {
            Assert.True(WebhookSignature.Verify(secret, request.Id, request.Timestamp, request.Body, request.Signature));
            using var cloudEvent = JsonDocument.Parse(request.Body);
            var root = cloudEvent.RootElement;
            Assert.Equal("1.0", root.GetProperty("specversion").GetString());
            Assert.Equal(request.Id, root.GetProperty("id").GetString());
            Assert.Equal("/institutions/h1", root.GetProperty("source").GetString());
            Assert.Equal("prescription.approved.v1", root.GetProperty("type").GetString());
            Assert.Equal(19, root.GetProperty("sequence").GetString()!.Length);
            Assert.Equal(Pseudonyms.Of("pt-zhang"), root.GetProperty("data").GetProperty("patientId").GetString());
            Assert.DoesNotContain("pt-zhang", Encoding.UTF8.GetString(request.Body));
        }
        var signed = receiver.Requests.First();
        Assert.False(WebhookSignature.Verify(secret, signed.Id, signed.Timestamp + 1, signed.Body, signed.Signature), "a changed timestamp breaks the signature");
    }

    [Fact]
    public async Task A_failing_receiver_gets_retries_in_order_then_dead_letters_and_replay_delivers_again()
    {
        await using var receiver = await Receiver.StartAsync();
        var (subscription, _) = await _registry.RegisterAsync("his-1", receiver.Url, new FeedScope(["*"], [], ClearIdentifiers: true), fromSequence: 0);
        var events = new List<Guid>();
        for (var i = 0; i < 6; i++) events.AddRange(await Append("s-1", "thing.happened.v1", "h1", new { i }));

        // First event: two 500s and a timeout, then accepted. Third event: refused until dead-lettered.
        foreach (var answer in new[] { 500, 503, 0, 200, 200, 500, 500, 500, 500 }) receiver.Script.Enqueue(answer);
        await using (var dispatcher = new WebhookDispatcher(_tail, _http, Pseudonyms, Fast))
        {
            dispatcher.Start();
            await WaitFor(() => receiver.DeliveredIds.Count >= 5);
        }

        Assert.Equal(events.Where((_, i) => i != 2).Select(e => e.ToString()), receiver.DeliveredIds);
        var attempts = receiver.Requests.Select(r => r.Id).ToList();
        Assert.Equal(Enumerable.Repeat(events[0].ToString(), 4), attempts.Take(4));           // retried, nothing after it meanwhile
        Assert.Equal(Enumerable.Repeat(events[2].ToString(), 4), attempts.Skip(5).Take(4));   // four attempts, then moved on
        var dead = Assert.Single(await _registry.DeadLettersAsync(subscription.Id));
        Assert.Equal(events[2], dead.EventId);
        Assert.Equal(4, dead.Attempts);
        Assert.Contains("500", dead.LastError);
        var deliveries = await _registry.DeliveriesAsync(subscription.Id);
        Assert.Contains(deliveries, d => !d.Delivered && d.Error!.Contains("no answer within"));
        Assert.Equal(receiver.Requests.Count, deliveries.Count);

        // Replay from the start: everything again, in order (receivers dedupe by webhook-id).
        var before = receiver.Requests.Count;
        await _registry.ReplayFromAsync(subscription.Id, 0);
        await using (var dispatcher = new WebhookDispatcher(_tail, _http, Pseudonyms, Fast))
        {
            dispatcher.Start();
            await WaitFor(() => receiver.Requests.Count >= before + 6);
        }
        Assert.Equal(events.Select(e => e.ToString()), receiver.Requests.Skip(before).Select(r => r.Id));
    }

    [Fact]
    public async Task A_dispatcher_stopped_mid_stream_and_restarted_delivers_every_event_with_at_most_the_one_in_flight_twice()
    {
        await using var receiver = await Receiver.StartAsync();
        await _registry.RegisterAsync("lis-1", receiver.Url, new FeedScope(["*"], [], ClearIdentifiers: true), fromSequence: 0);
        var events = new List<Guid>();
        for (var i = 0; i < 40; i++) events.AddRange(await Append($"s-{i % 4}", "thing.happened.v1", "h1", new { i }));

        await using (var first = new WebhookDispatcher(_tail, _http, Pseudonyms, Fast))
        {
            first.Start();
            await WaitFor(() => receiver.DeliveredIds.Count >= 10);
        }
        await using (var second = new WebhookDispatcher(_tail, _http, Pseudonyms, Fast))
        {
            second.Start();
            await WaitFor(() => receiver.DeliveredIds.Distinct().Count() >= events.Count);
        }

        var delivered = receiver.DeliveredIds;
        Assert.Equal(events.Select(e => e.ToString()), delivered.Distinct());
        Assert.True(delivered.Count - events.Count <= 1, $"{delivered.Count - events.Count} events were delivered twice");
    }

    [Fact]
    public async Task A_batched_subscription_gets_what_is_waiting_as_signed_CloudEvents_batches_in_order()
    {
        await using var receiver = await Receiver.StartAsync();
        var (subscription, secret) = await _registry.RegisterAsync("pacs-1", receiver.Url, new FeedScope(["study.*"], [], ClearIdentifiers: false), fromSequence: 0, maxBatch: 10);
        var granted = new List<Guid>();
        for (var i = 0; i < 25; i++)
        {
            granted.AddRange(await Append($"study-{i % 4}", "study.reported.v1", "h1", new { patientId = "pt-wang", i }));
            if (i % 3 == 0) await Append($"consultation-{i}", "consultation.opened.v1", "h1", new { patientId = "pt-wang" }); // not granted
        }
        await WaitUntilTheTailHolds(granted.Count + 9); // all waiting

        await using (var dispatcher = new WebhookDispatcher(_tail, _http, Pseudonyms, Fast with { BatchSize = 100 }))
        {
            dispatcher.Start();
            await WaitFor(() => _registry.DeliveriesAsync(subscription.Id).GetAwaiter().GetResult().Count >= granted.Count); // received and recorded
        }

        Assert.Equal(granted.Select(g => g.ToString()), receiver.DeliveredEventIds);
        var requests = receiver.Requests.ToList();
        Assert.Equal(10, Receiver.EventIds(requests[0].Body).Count); // all were waiting: a full batch
        foreach (var request in requests)
        {
            Assert.StartsWith("application/cloudevents-batch+json", request.ContentType);
            Assert.True(WebhookSignature.Verify(secret, request.Id, request.Timestamp, request.Body, request.Signature));
            using var batch = JsonDocument.Parse(request.Body);
            var events = batch.RootElement.EnumerateArray().ToList();
            Assert.InRange(events.Count, 1, 10);
            Assert.Equal($"{events[0].GetProperty("sequence").GetString()}-{events[^1].GetProperty("sequence").GetString()}", request.Id);
            Assert.All(events, e => Assert.Equal(Pseudonyms.Of("pt-wang"), e.GetProperty("data").GetProperty("patientId").GetString()));
        }
        var deliveries = await _registry.DeliveriesAsync(subscription.Id);
        Assert.Equal(granted, deliveries.Select(d => d.EventId)); // recorded event by event
        Assert.All(deliveries, d => Assert.True(d.Delivered));
    }

    [Fact]
    public async Task A_refused_batch_is_sent_again_event_by_event_so_only_the_refused_event_is_dead_lettered()
    {
        await using var receiver = await Receiver.StartAsync();
        var (subscription, _) = await _registry.RegisterAsync("his-2", receiver.Url, new FeedScope(["*"], [], ClearIdentifiers: true), fromSequence: 0, maxBatch: 10);
        var events = new List<Guid>();
        for (var i = 0; i < 6; i++) events.AddRange(await Append("s-1", "thing.happened.v1", "h1", new { i }));
        await WaitUntilTheTailHolds(events.Count); // one batch
        var poison = events[2].ToString();
        receiver.Refuses = body => body.Contains(poison, StringComparison.Ordinal);

        await using (var dispatcher = new WebhookDispatcher(_tail, _http, Pseudonyms, Fast with { BatchSize = 100 }))
        {
            dispatcher.Start();
            await WaitFor(() => receiver.DeliveredEventIds.Count >= 5);
        }

        Assert.Equal(events.Where((_, i) => i != 2).Select(e => e.ToString()), receiver.DeliveredEventIds);
        // The refused batch's events go again one a request; the poisoned one alone takes all its attempts.
        string[] Ids(params int[] indexes) => indexes.Select(i => events[i].ToString()).ToArray();
        string[][] expected = [Ids(0, 1, 2, 3, 4, 5), Ids(0), Ids(1), Ids(2), Ids(2), Ids(2), Ids(2), Ids(3), Ids(4), Ids(5)];
        Assert.Equal(expected, receiver.Requests.Select(r => Receiver.EventIds(r.Body).ToArray()));
        var dead = Assert.Single(await _registry.DeadLettersAsync(subscription.Id));
        Assert.Equal(events[2], dead.EventId);
        Assert.Equal(Fast.MaxAttempts, dead.Attempts);
    }

    [Fact]
    public async Task A_dispatcher_whose_lead_is_cut_mid_turn_leads_again_and_goes_on_delivering()
    {
        await using var receiver = await Receiver.StartAsync();
        await _registry.RegisterAsync("ris-1", receiver.Url, new FeedScope(["*"], [], ClearIdentifiers: true), fromSequence: 0);
        var events = new List<Guid>();
        for (var i = 0; i < 3; i++) events.AddRange(await Append("s-1", "thing.happened.v1", "h1", new { i }));
        // A turn follows the log long after its last delivery, so it is running when the lead is cut.
        await using var dispatcher = new WebhookDispatcher(_tail, _http, Pseudonyms, Fast with { FollowFor = TimeSpan.FromSeconds(20) });
        dispatcher.Start();
        await WaitFor(() => receiver.DeliveredIds.Count >= 3);

        // The leader's connection goes (a failover, a restart): its advisory lock with it.
        await using (var cut = _database.Admin.CreateCommand(
            "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objsubid = 1 and ((classid::bigint << 32) | objid::bigint) = $1"))
        {
            cut.Parameters.Add(new() { Value = Records.EventStore.AdvisoryLocks.WebhookLeader });
            Assert.Equal(true, await cut.ExecuteScalarAsync());
        }
        for (var i = 3; i < 6; i++) events.AddRange(await Append("s-1", "thing.happened.v1", "h1", new { i }));

        await WaitFor(() => receiver.DeliveredIds.Distinct().Count() >= events.Count);
        Assert.Equal(events.Select(e => e.ToString()), receiver.DeliveredIds.Distinct());
    }

    [Fact]
    public async Task Registrations_are_checked_and_pause_stops_delivery()
    {
        await using var receiver = await Receiver.StartAsync();
        Assert.Equal("invalid_endpoint", (await Assert.ThrowsAsync<FeedException>(() =>
            _registry.RegisterAsync("x", new Uri("ftp://example/"), new FeedScope(["*"], [], false)))).Code);
        Assert.Equal("invalid_filter", (await Assert.ThrowsAsync<FeedException>(() =>
            _registry.RegisterAsync("x", receiver.Url, new FeedScope([], [], false)))).Code);
        Assert.Equal("unknown_subscription", (await Assert.ThrowsAsync<FeedException>(() => _registry.PauseAsync(Guid.NewGuid()))).Code);
        foreach (var maxBatch in new[] { 0, WebhookRegistry.MaxBatchLimit + 1 })
            Assert.Equal("invalid_batch", (await Assert.ThrowsAsync<FeedException>(() =>
                _registry.RegisterAsync("x", receiver.Url, new FeedScope(["*"], [], false), maxBatch: maxBatch))).Code);

        var (subscription, _) = await _registry.RegisterAsync("x", receiver.Url, new FeedScope(["*"], [], false));
        await _registry.PauseAsync(subscription.Id);
        // Resuming is announced: the dispatcher does not wait for its safety-net look (a minute here) to deliver.
        await using var dispatcher = new WebhookDispatcher(_tail, _http, Pseudonyms, Fast with { IdleCheckInterval = TimeSpan.FromMinutes(1) });
        dispatcher.Start();
        var appended = await Append("s-1", "thing.happened.v1", "h1", new { });
        await Task.Delay(500);
        Assert.Empty(receiver.Requests);

        await _registry.ResumeAsync(subscription.Id);
        await WaitFor(() => receiver.DeliveredIds.Count == 1);
        Assert.Equal(appended[0].ToString(), receiver.DeliveredIds[0]);
    }

    [Fact]
    public async Task An_endpoint_on_the_hosts_own_network_is_refused_at_registration_and_at_delivery()
    {
        await using var receiver = await Receiver.StartAsync();
        var publicOnly = new WebhookRegistry(_database.App, WebhookEndpointPolicy.PublicOnly);
        Assert.Equal("endpoint_not_allowed", (await Assert.ThrowsAsync<FeedException>(() =>
            publicOnly.RegisterAsync("x", receiver.Url, new FeedScope(["*"], [], false)))).Code);

        // A name that was public when registered and points at the host's network when delivered (DNS rebinding).
        var (subscription, _) = await _registry.RegisterAsync("x", new UriBuilder(receiver.Url) { Host = "localhost" }.Uri, new FeedScope(["*"], [], false));
        var refused = await FirstDeliveryAsync(subscription.Id, WebhookEndpointPolicy.PublicOnly);

        Assert.Empty(receiver.Requests);
        Assert.False(refused.Delivered);
        Assert.Contains("not a public one", refused.Error);
    }

    [Fact]
    public async Task A_redirect_is_a_failed_delivery_not_followed()
    {
        await using var target = await Receiver.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var redirector = builder.Build();
        redirector.MapPost("/hook", () => Results.Redirect(target.Url.ToString(), permanent: false, preserveMethod: true));
        await redirector.StartAsync();
        var (subscription, _) = await _registry.RegisterAsync("x", new Uri(redirector.Urls.First() + "/hook"), new FeedScope(["*"], [], false));
        var first = await FirstDeliveryAsync(subscription.Id, LocalReceivers);

        Assert.Empty(target.Requests);
        Assert.False(first.Delivered);
        Assert.Equal(307, first.StatusCode);
    }

    /// <summary>Appends an event and returns the subscription's first delivery record, the dispatcher's client guarded by <paramref name="policy"/>.</summary>
    private async Task<WebhookDelivery> FirstDeliveryAsync(Guid subscription, WebhookEndpointPolicy policy)
    {
        using var guarded = new HttpClient(policy.CreateHandler());
        await using var dispatcher = new WebhookDispatcher(_tail, guarded, Pseudonyms, Fast);
        dispatcher.Start();
        await Append("s-1", "thing.happened.v1", "h1", new { });
        await WaitFor(() => _registry.DeliveriesAsync(subscription).GetAwaiter().GetResult().Count > 0);
        return (await _registry.DeliveriesAsync(subscription))[0];
    }

    private async Task<List<Guid>> Append(string stream, string type, string institution, object data)
    {
        var result = await _store.AppendAsync(stream, stream.Split('-')[0], ExpectedVersion.Any,
            [new EventData(type, JsonSerializer.SerializeToUtf8Bytes(data))], new EventMetadata { InstitutionId = institution });
        return result.Events.Select(e => e.EventId).ToList();
    }

    /// <summary>
    /// Waits until the log's <paramref name="count"/> events are all numbered and in the tail the dispatcher reads:
    /// a batch is what the tail holds when the dispatcher asks.
    /// </summary>
    private async Task WaitUntilTheTailHolds(long count)
    {
        await WaitFor(() => _store.ReadHeadAsync().GetAwaiter().GetResult() == count);
        Assert.True(await _tail.WaitForEventsAfterAsync(count - 1, TimeSpan.FromSeconds(30)));
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition was not met within 30 s.");
            await Task.Delay(20);
        }
    }
}
