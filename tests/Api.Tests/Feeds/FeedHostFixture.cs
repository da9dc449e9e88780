using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Feeds;
using Records.Api.Identity;
using Records.Domain;
using Records.EventStore;

namespace Records.Api.Tests.Feeds;

/// <summary>The real host with fast webhook retries and keep-alives, and what the feed tests need from it.</summary>
public sealed class FeedHostFixture : RecordsHostFixture
{
    protected override IEnumerable<string> MoreSettings =>
    [
        "--Records:Feeds:KeepAliveSeconds=0.3",
        "--Records:Feeds:Webhooks:MaxAttempts=3",
        "--Records:Feeds:Webhooks:FirstRetryDelay=00:00:00.040",
        "--Records:Feeds:Webhooks:MaxRetryDelay=00:00:00.200",
        "--Records:Feeds:Webhooks:RequestTimeout=00:00:02",
        "--Records:Feeds:Webhooks:BatchSize=5",
    ];

    public PostgresEventStore Store => Host.App.Services.GetRequiredService<PostgresEventStore>();

    public string Token(string subject, Role role, FeedScope? grant = null) =>
        Host.App.Services.GetRequiredService<TokenIssuer>().Issue(subject, role, realNameVerified: true, grant: grant);

    public HttpRequestMessage Request(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>
    /// Appends, in an institution of its own, lab events naming a patient (granted to a <c>lab.*</c> grant), billing
    /// events (not granted) and a patient's registration with real-name details; returns nothing: the log is the truth.
    /// </summary>
    public async Task AppendHistoryAsync(string institution, int rounds, string patient = "pt-wang")
    {
        for (var i = 0; i < rounds; i++)
        {
            await Append($"lab-{institution}-{i % 3}", "lab.result_reported.v1", institution, new { patientId = patient, resultId = $"r-{i}" });
            await Append($"billing-{institution}-{i}", "billing.charged.v1", institution, new { patientId = patient, amountFen = 100 * i });
            await Append($"lab-{institution}-x{i}", "lab.sample_taken.v1", institution + "-other", new { patientId = patient });
        }

        await Append($"patient-{patient}", "patient", institution, new { patientId = patient, name = "王五", contact = "13900000000" }, "patient.imported.v1"); // a type no view reads: the views share this log
    }

    private Task Append(string stream, string type, string institution, object data) =>
        Append(stream, stream.Split('-')[0], institution, data, type);

    private async Task Append(string stream, string streamType, string institution, object data, string type) =>
        await Store.AppendAsync(stream, streamType, ExpectedVersion.Any, [new EventData(type, JsonSerializer.SerializeToUtf8Bytes(data))],
            new EventMetadata { InstitutionId = institution });

    /// <summary>The ids of the events <paramref name="scope"/> allows, in global order, once the sequencer has numbered everything appended.</summary>
    public async Task<List<string>> GrantedInLogAsync(FeedScope scope)
    {
        await using (var count = Admin.CreateCommand("select count(*) from eventstore.events"))
        {
            var appended = (long)(await count.ExecuteScalarAsync())!;
            await Eventually(async () => await Store.ReadHeadAsync() >= appended);
        }

        var granted = new List<string>();
        for (long after = 0; ;)
        {
            var batch = await Store.ReadAllAsync(after, 1000);
            if (batch.Count == 0) return granted;
            granted.AddRange(batch.Where(scope.Allows).Select(e => e.EventId.ToString()));
            after = batch[^1].Sequence!.Value;
        }
    }

    public static async Task Eventually(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The condition was not met within {seconds} s.");
            await Task.Delay(25);
        }
    }

    /// <summary>A graphql-transport-ws connection to /graphql, acknowledged, with the bearer token on the upgrade request.</summary>
    public async Task<GraphQLSocket> ConnectAsync(string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        await socket.ConnectAsync(new Uri(Http.BaseAddress!.ToString().Replace("http://", "ws://") + "graphql"), CancellationToken.None);
        var connection = new GraphQLSocket(socket);
        await connection.SendAsync("""{"type":"connection_init"}""");
        Assert.Equal("connection_ack", (await connection.ReceiveAsync())!.Value.GetProperty("type").GetString());
        return connection;
    }
}

/// <summary>A raw graphql-transport-ws client: send a message, receive the next one.</summary>
public sealed class GraphQLSocket(ClientWebSocket socket) : IDisposable
{
    public ClientWebSocket Socket => socket;

    public Task SendAsync(string message) => socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(JsonSerializer.Serialize(new { id, type = "subscribe", payload = new { query, variables } }));

    /// <summary>The next message but the server's keep-alive pings (answered, as a client does), or null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync(int seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var buffer = new byte[1 << 16];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            length += result.Count;
            if (!result.EndOfMessage) continue;
            var message = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
            if (message.TryGetProperty("type", out var type) && type.GetString() == "ping")
            {
                await SendAsync("""{"type":"pong"}""");
                length = 0;
                continue;
            }
            return message;
        }
    }

    public void Dispose() => socket.Dispose();
}
