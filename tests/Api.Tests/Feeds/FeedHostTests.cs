using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Records.Api.Feeds;
using Records.Domain;

namespace Records.Api.Tests.Feeds;

/// <summary>
/// The feeds through the real host: grants from tokens, and each kind of consumer killed mid-stream and resumed from
/// its last position, ending with every granted event of the log exactly once and in order. Each test works in an
/// institution of its own, so the tests share one host.
/// </summary>
public sealed class FeedHostTests(FeedHostFixture host) : IClassFixture<FeedHostFixture>
{
    private const string Patient = "pt-wang";

    private static string NewInstitution() => "ih-" + Guid.NewGuid().ToString("N")[..10];

    private static FeedScope LabGrant(string institution) => new(["lab.*"], [institution], ClearIdentifiers: false);

    private string LabToken(string institution) => host.Token("lis-1", Role.Integrator, LabGrant(institution));

    [Fact]
    public async Task Tokens_carry_the_grant_and_no_feed_answers_outside_it()
    {
        var institution = NewInstitution();
        await host.AppendHistoryAsync(institution, 4);
        var lab = LabGrant(institution);
        var expected = await host.GrantedInLogAsync(lab);

        var (events, bodies) = await PullAllAsync(LabToken(institution), limit: 1000);
        Assert.Equal(expected, events.Select(e => e.GetProperty("id").GetString()));
        Assert.All(events, e => Assert.StartsWith("lab.", e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal($"/institutions/{institution}", e.GetProperty("source").GetString()));
        Assert.DoesNotContain(Patient, bodies);

        // An administrator sees every type, the patient's registration included, but never who the patient is.
        var (all, adminBodies) = await PullAllAsync(host.Token("admin-1", Role.Administrator), limit: 1000);
        Assert.Contains(all, e => e.GetProperty("type").GetString() == "billing.charged.v1");
        Assert.Contains(all, e => e.GetProperty("type").GetString() == "patient.imported.v1");
        foreach (var identifying in new[] { Patient, "王五", "13900000000" }) Assert.DoesNotContain(identifying, adminBodies);

        // A grant that allows identifiers gets them.
        var (_, clearBodies) = await PullAllAsync(host.Token("lis-2", Role.Integrator, lab with { ClearIdentifiers = true }), limit: 1000);
        Assert.Contains(Patient, clearBodies);

        foreach (var (token, status) in new[]
        {
            (host.Token("dr-1", Role.Physician), HttpStatusCode.Forbidden),
            (host.Token("lis-3", Role.Integrator), HttpStatusCode.Forbidden),
            ((string?)null, HttpStatusCode.Unauthorized),
        })
        {
            using var request = token is null ? new HttpRequestMessage(HttpMethod.Get, "/feed") : host.Request(HttpMethod.Get, "/feed", token);
            using var response = await host.Http.SendAsync(request);
            Assert.Equal(status, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_pull_consumer_resumed_from_its_cursor_gets_every_granted_event_once_in_order()
    {
        var institution = NewInstitution();
        await host.AppendHistoryAsync(institution, 10);
        await host.GrantedInLogAsync(LabGrant(institution)); // sequenced: an empty page then means the end
        var token = LabToken(institution);

        var seen = new List<string>();
        long cursor = 0;
        for (var call = 0; call < 200; call++)
        {
            // Each call on its own: nothing but the cursor carries over, as after a crash.
            var (events, next) = await PullAsync(token, $"after={cursor}&limit=3");
            if (events.Count == 0 && next == cursor) break; // an empty page that moved on only passed over others' events
            seen.AddRange(events.Select(e => e.GetProperty("id").GetString()!));
            cursor = next;
            if (call != 2) continue;
            await host.AppendHistoryAsync(institution, 3); // more arrive while it reads
            await host.GrantedInLogAsync(LabGrant(institution)); // and are sequenced before the reader could reach the head
        }

        Assert.Equal(await host.GrantedInLogAsync(LabGrant(institution)), seen);
    }

    [Fact]
    public async Task Server_sent_events_killed_and_resumed_with_last_event_id_get_every_granted_event_once_in_order()
    {
        var institution = NewInstitution();
        await host.AppendHistoryAsync(institution, 8);
        var token = LabToken(institution);

        var first = await ReadSseAsync(token, lastEventId: null, count: 5);
        await host.AppendHistoryAsync(institution, 4); // while the consumer is down
        var expected = await host.GrantedInLogAsync(LabGrant(institution));
        var rest = await ReadSseAsync(token, first.Ids[^1], expected.Count - 5, whileReading: () => host.AppendHistoryAsync(institution, 2));
        expected = await host.GrantedInLogAsync(LabGrant(institution));
        var tail = await ReadSseAsync(token, rest.Ids[^1], expected.Count - 5 - rest.Events.Count);

        Assert.Equal(expected, first.Events.Concat(rest.Events).Concat(tail.Events));
        var idle = await ReadSseAsync(token, tail.Ids[^1], count: 0, listenFor: TimeSpan.FromSeconds(1));
        Assert.True(idle.KeepAlives >= 2, $"an idle stream sends keep-alive comments ({idle.KeepAlives})");
        Assert.Empty(idle.Events);
    }

    [Fact]
    public async Task A_graphql_subscription_killed_mid_stream_and_resumed_from_its_last_sequence_gets_every_granted_event_once_in_order()
    {
        var institution = NewInstitution();
        await host.AppendHistoryAsync(institution, 6);
        var token = host.Token("lis-1", Role.Integrator, new FeedScope(["lab.*", "billing.*"], [], ClearIdentifiers: false));
        var scope = new FeedScope(["lab.*"], [institution], ClearIdentifiers: false);
        const string Query = "subscription($after: String, $filter: EventFilter) { eventAppended(after: $after, filter: $filter) { id type source sequence data } }";
        var filter = new { eventTypes = new[] { "lab.*" }, institutions = new[] { institution } };

        var received = new List<JsonElement>();
        using (var socket = await host.ConnectAsync(token))
        {
            await socket.SubscribeAsync("1", Query, new { after = "0", filter });
            while (received.Count < 4) received.Add(NextEvent(await socket.ReceiveAsync()));
            socket.Socket.Abort(); // killed: no complete, no close handshake
        }

        await host.AppendHistoryAsync(institution, 3); // while the consumer is down
        using (var socket = await host.ConnectAsync(token))
        {
            await socket.SubscribeAsync("1", Query, new { after = received[^1].GetProperty("sequence").GetString(), filter });
            var caughtUp = await host.GrantedInLogAsync(scope);
            while (received.Count < caughtUp.Count) received.Add(NextEvent(await socket.ReceiveAsync()));

            await host.AppendHistoryAsync(institution, 2); // followed live
            var all = await host.GrantedInLogAsync(scope);
            while (received.Count < all.Count) received.Add(NextEvent(await socket.ReceiveAsync()));
            Assert.Equal(all, received.Select(e => e.GetProperty("id").GetString()));
            await socket.SendAsync("""{"id":"1","type":"complete"}""");
        }

        Assert.All(received, e => Assert.StartsWith("lab.", e.GetProperty("type").GetString()));
        Assert.All(received, e => Assert.DoesNotContain(Patient, e.GetProperty("data").GetString()));
        Assert.Equal(received.Select(e => long.Parse(e.GetProperty("sequence").GetString()!, CultureInfo.InvariantCulture)).Order(),
            received.Select(e => long.Parse(e.GetProperty("sequence").GetString()!, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_graphql_subscription_outside_the_grant_or_without_one_is_refused_with_a_code()
    {
        using var socket = await host.ConnectAsync(LabToken("ih-a"));
        await socket.SubscribeAsync("1", """subscription { eventAppended(filter: {eventTypes: ["billing.*"]}) { id } }""");
        Assert.Equal("feeds.outside_grant", ErrorCode(await socket.ReceiveAsync()));
        await socket.SubscribeAsync("2", """subscription { eventAppended(filter: {institutions: ["ih-b"]}) { id } }""");
        Assert.Equal("feeds.outside_grant", ErrorCode(await socket.ReceiveAsync()));
        await socket.SubscribeAsync("3", """subscription { eventAppended(after: "-4") { id } }""");
        Assert.Equal("feeds.invalid_sequence", ErrorCode(await socket.ReceiveAsync()));

        using var physician = await host.ConnectAsync(host.Token("dr-1", Role.Physician));
        await physician.SubscribeAsync("1", "subscription { eventAppended { id } }");
        Assert.Equal("feeds.forbidden", ErrorCode(await physician.ReceiveAsync()));
    }

    [Fact]
    public async Task A_webhook_registered_through_graphql_is_delivered_in_order_across_a_dispatcher_restart_dead_letters_and_replay()
    {
        var institution = NewInstitution();
        await using var receiver = await Receiver.StartAsync();
        var token = LabToken(institution);
        var registration = await GraphQLAsync(token,
            "mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret webhook { id eventTypes institutions clearIdentifiers status maxBatch } } }",
            new { input = new { endpoint = receiver.Url.ToString(), eventTypes = new[] { "lab.result_reported.v1" }, after = "0" } });
        var webhook = registration.GetProperty("registerWebhook").GetProperty("webhook");
        var id = webhook.GetProperty("id").GetString()!;
        var secret = registration.GetProperty("registerWebhook").GetProperty("secret").GetString()!;
        Assert.Equal(institution, webhook.GetProperty("institutions")[0].GetString()); // narrowed to the grant's institutions
        Assert.False(webhook.GetProperty("clearIdentifiers").GetBoolean());
        Assert.Equal(1, webhook.GetProperty("maxBatch").GetInt32()); // one CloudEvent a request unless asked

        // The third granted event is refused until dead-lettered (3 attempts); everything else is accepted.
        foreach (var answer in new[] { 200, 200, 500, 500, 500 }) receiver.Script.Enqueue(answer);
        await host.AppendHistoryAsync(institution, 12);
        var scope = new FeedScope(["lab.result_reported.v1"], [institution], false);
        var expected = await host.GrantedInLogAsync(scope);
        await FeedHostFixture.Eventually(() => Task.FromResult(receiver.DeliveredIds.Count >= 6));

        // Kill the dispatcher mid-stream and start it again: it resumes from its checkpoint.
        var dispatcher = host.Host.App.Services.GetServices<IHostedService>().OfType<WebhookService>().Single();
        await dispatcher.StopAsync(CancellationToken.None);
        await dispatcher.StartAsync(CancellationToken.None);
        await FeedHostFixture.Eventually(() => Task.FromResult(receiver.DeliveredIds.Distinct().Count() >= expected.Count - 1));

        var delivered = receiver.DeliveredIds;
        Assert.Equal(expected.Where((_, i) => i != 2), delivered.Distinct());
        Assert.True(delivered.Count - delivered.Distinct().Count() <= 1, "at most the event in flight at the restart comes twice");
        Assert.All(receiver.Requests, r => Assert.True(WebhookSignature.Verify(secret, r.Id, r.Timestamp, r.Body, r.Signature)));
        Assert.All(receiver.Requests, r => Assert.DoesNotContain(Patient, Encoding.UTF8.GetString(r.Body)));

        var dead = (await GraphQLAsync(token, "query($id: ID!) { webhookDeadLetters(webhookId: $id) { eventId attempts lastError } }", new { id }))
            .GetProperty("webhookDeadLetters");
        Assert.Equal(expected[2], Assert.Single(dead.EnumerateArray()).GetProperty("eventId").GetString());

        // Pause, replay from the start, resume: everything again, in order, the dead letter included.
        var before = receiver.Requests.Count;
        Assert.Equal("paused", (await GraphQLAsync(token, "mutation($id: ID!) { pauseWebhook(webhookId: $id) { status } }", new { id }))
            .GetProperty("pauseWebhook").GetProperty("status").GetString());
        await GraphQLAsync(token, """mutation($id: ID!) { replayWebhook(webhookId: $id, after: "0") { position } }""", new { id });
        await Task.Delay(300);
        Assert.Equal(before, receiver.Requests.Count);
        await GraphQLAsync(token, "mutation($id: ID!) { resumeWebhook(webhookId: $id) { status } }", new { id });
        await FeedHostFixture.Eventually(() => Task.FromResult(receiver.Requests.Count >= before + expected.Count));
        Assert.Equal(expected, receiver.Requests.Skip(before).Select(r => r.Id));

        // Another integrator neither sees nor changes it; a registration outside the grant is refused.
        var other = host.Token("pharmacy-9", Role.Integrator, LabGrant(institution));
        Assert.Empty((await GraphQLAsync(other, "{ webhooks { id } }")).GetProperty("webhooks").EnumerateArray());
        Assert.Equal("feeds.unknown_webhook", await GraphQLErrorAsync(other, "mutation($id: ID!) { pauseWebhook(webhookId: $id) { id } }", new { id }));
        Assert.Equal("feeds.outside_grant", await GraphQLErrorAsync(token,
            "mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret } }",
            new { input = new { endpoint = receiver.Url.ToString(), eventTypes = new[] { "billing.*" } } }));
        Assert.Equal("feeds.invalid_batch", await GraphQLErrorAsync(token,
            "mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret } }",
            new { input = new { endpoint = receiver.Url.ToString(), eventTypes = new[] { "lab.result_reported.v1" }, maxBatch = 0 } }));
        Assert.Contains((await GraphQLAsync(host.Token("admin-1", Role.Administrator), "{ webhooks { id } }")).GetProperty("webhooks").EnumerateArray(),
            w => w.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task The_graphql_ws_client_subscribes_through_the_real_endpoint_and_receives_the_granted_events()
    {
        var institution = NewInstitution();
        await host.AppendHistoryAsync(institution, 3);
        var expected = await host.GrantedInLogAsync(LabGrant(institution));

        var output = await FeedSubscriberScript.RunAsync(host.Http.BaseAddress!.ToString().Replace("http://", "ws://") + "graphql", LabToken(institution),
            """subscription { eventAppended(after: "0") { id type data } }""", expected.Count);

        using var result = JsonDocument.Parse(output);
        var events = result.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("eventAppended")).ToList();
        Assert.Equal(expected, events.Select(e => e.GetProperty("id").GetString()));
        Assert.All(events, e => Assert.DoesNotContain(Patient, e.GetProperty("data").GetString()));
    }

    private static JsonElement NextEvent(JsonElement? message)
    {
        Assert.NotNull(message);
        Assert.True(message.Value.GetProperty("type").GetString() == "next", message.Value.ToString());
        return message.Value.GetProperty("payload").GetProperty("data").GetProperty("eventAppended").Clone();
    }

    private static string? ErrorCode(JsonElement? message)
    {
        Assert.NotNull(message);
        var payload = message.Value.GetProperty("payload");
        var errors = payload.ValueKind == JsonValueKind.Array ? payload : payload.GetProperty("errors");
        return errors[0].GetProperty("extensions").GetProperty("code").GetString();
    }

    private async Task<(List<JsonElement> Events, long Next)> PullAsync(string token, string query)
    {
        using var request = host.Request(HttpMethod.Get, "/feed?" + query, token);
        using var response = await host.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (page.GetProperty("events").EnumerateArray().ToList(), page.GetProperty("next").GetInt64());
    }

    private async Task<(List<JsonElement> Events, string Bodies)> PullAllAsync(string token, int limit)
    {
        var events = new List<JsonElement>();
        for (long cursor = 0; ;)
        {
            var (page, next) = await PullAsync(token, $"after={cursor}&limit={limit}");
            if (page.Count == 0 && next == cursor) return (events, string.Join("\n", events.Select(e => e.GetRawText())));
            events.AddRange(page);
            cursor = next;
        }
    }

    private async Task<(List<string> Events, List<string> Ids, int KeepAlives)> ReadSseAsync(
        string token, string? lastEventId, int count, TimeSpan? listenFor = null, Func<Task>? whileReading = null)
    {
        using var stop = new CancellationTokenSource(listenFor ?? TimeSpan.FromSeconds(30));
        using var request = host.Request(HttpMethod.Get, "/feed/stream", token);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        List<string> events = [], ids = [];
        var keepAlives = 0;
        try
        {
            while ((events.Count < count || listenFor is not null) && await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal)) ids.Add(line[4..]);
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add(JsonDocument.Parse(line[6..]).RootElement.GetProperty("id").GetString()!);
                    if (events.Count == 1 && whileReading is not null) await whileReading();
                }
                else if (line.StartsWith(": keep-alive", StringComparison.Ordinal)) keepAlives++;
            }
        }
        catch (OperationCanceledException) when (listenFor is not null)
        {
        }

        return (events, ids, keepAlives); // disposing the response kills the connection
    }

    private async Task<JsonElement> GraphQLAsync(string token, string query, object? variables = null)
    {
        var result = await PostGraphQLAsync(token, query, variables);
        Assert.False(result.TryGetProperty("errors", out var errors), errors.ToString());
        return result.GetProperty("data");
    }

    private async Task<string?> GraphQLErrorAsync(string token, string query, object? variables = null) =>
        (await PostGraphQLAsync(token, query, variables)).GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();

    private async Task<JsonElement> PostGraphQLAsync(string token, string query, object? variables)
    {
        using var request = host.Request(HttpMethod.Post, "/graphql", token);
        request.Content = JsonContent.Create(new { query, variables });
        using var response = await host.Http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
