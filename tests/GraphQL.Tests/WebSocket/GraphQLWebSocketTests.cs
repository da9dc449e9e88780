using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Records.GraphQL.Http;
using Records.GraphQL.Tests.Server;
using Records.GraphQL.WebSocket;

namespace Records.GraphQL.Tests.WebSocket;

/// <summary>The graphql-transport-ws protocol driven by a raw <see cref="ClientWebSocket"/>: messages and every close code.</summary>
public class GraphQLWebSocketTests
{
    private static async Task<ClientWebSocket> Connect(TestHost host, string? subProtocol = GraphQLWebSocketHandler.SubProtocol)
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null) socket.Options.AddSubProtocol(subProtocol);
        await socket.ConnectAsync(host.WebSocketEndpoint, CancellationToken.None);
        return socket;
    }

    private static Task Send(ClientWebSocket socket, string message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    // The next message as JSON, or null when the server closed the socket.
    private static async Task<JsonElement?> Receive(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            length += result.Count;
            if (result.EndOfMessage) return JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
        }
    }

    private static async Task<ClientWebSocket> ConnectAcknowledged(TestHost host)
    {
        var socket = await Connect(host);
        await Send(socket, """{"type":"connection_init"}""");
        Assert.Equal("connection_ack", (await Receive(socket))!.Value.GetProperty("type").GetString());
        return socket;
    }

    private static async Task AssertClosedWith(ClientWebSocket socket, int code, string reason)
    {
        while (await Receive(socket) is not null)
        {
            // Messages sent before the close (e.g. events of a running subscription) are not the subject here.
        }
        Assert.Equal(code, (int)socket.CloseStatus!.Value);
        Assert.Contains(reason, socket.CloseStatusDescription);
    }

    [Fact]
    public async Task A_subscription_sends_next_for_each_event_then_complete()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await ConnectAcknowledged(host);
        await Send(socket, """{"type":"subscribe","id":"1","payload":{"query":"subscription { count(to: 3) }"}}""");
        for (var i = 1; i <= 3; i++)
        {
            var next = (await Receive(socket))!.Value;
            Assert.Equal("next", next.GetProperty("type").GetString());
            Assert.Equal("1", next.GetProperty("id").GetString());
            Assert.Equal(i, next.GetProperty("payload").GetProperty("data").GetProperty("count").GetInt32());
        }
        var complete = (await Receive(socket))!.Value;
        Assert.Equal("complete", complete.GetProperty("type").GetString());
        Assert.Equal("1", complete.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_source_failure_the_host_explains_ends_that_subscription_with_an_error_and_the_connection_stays_open()
    {
        var options = new GraphQLEndpointOptions
            { Server = new() { MapException = e => e is TimeoutException ? new GraphQLError("The source is away; subscribe again.", "source.unavailable") : null } };
        await using var host = await TestHost.StartAsync(options);
        using var socket = await ConnectAcknowledged(host);
        await Send(socket, """{"type":"subscribe","id":"1","payload":{"query":"subscription { count(to: 3, failAfter: 1) }"}}""");

        Assert.Equal(1, (await Receive(socket))!.Value.GetProperty("payload").GetProperty("data").GetProperty("count").GetInt32());
        var error = (await Receive(socket))!.Value;
        Assert.Equal(("error", "1"), (error.GetProperty("type").GetString(), error.GetProperty("id").GetString()));
        Assert.Equal("source.unavailable", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        await Send(socket, """{"type":"ping"}""");
        Assert.Equal("pong", (await Receive(socket))!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Queries_and_mutations_run_over_the_socket_too()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await ConnectAcknowledged(host);
        await Send(socket, """{"type":"subscribe","id":"q","payload":{"query":"mutation { increment }"}}""");
        Assert.Equal(1, (await Receive(socket))!.Value.GetProperty("payload").GetProperty("data").GetProperty("increment").GetInt32());
        Assert.Equal("complete", (await Receive(socket))!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_request_error_is_an_error_message_and_the_connection_stays_open()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await ConnectAcknowledged(host);
        await Send(socket, """{"type":"subscribe","id":"bad","payload":{"query":"subscription { nope }"}}""");
        var error = (await Receive(socket))!.Value;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());

        await Send(socket, """{"type":"ping","payload":{"n":1}}""");
        var pong = (await Receive(socket))!.Value;
        Assert.Equal("pong", pong.GetProperty("type").GetString());
        Assert.Equal(1, pong.GetProperty("payload").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Complete_from_the_client_stops_the_subscription_and_frees_its_id()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await ConnectAcknowledged(host);
        await Send(socket, """{"type":"subscribe","id":"s","payload":{"query":"subscription { count(to: 1000, intervalMs: 20) }"}}""");
        Assert.Equal("next", (await Receive(socket))!.Value.GetProperty("type").GetString());
        await Send(socket, """{"type":"complete","id":"s"}""");
        await Task.Delay(100);
        // The id is free again: a new operation under it runs rather than closing with 4409.
        await Send(socket, """{"type":"subscribe","id":"s","payload":{"query":"{ hello }"}}""");
        JsonElement message;
        do message = (await Receive(socket))!.Value;
        while (message.GetProperty("type").GetString() == "next" && message.GetProperty("payload").GetProperty("data").TryGetProperty("count", out _));
        Assert.Equal("Hello, world", message.GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task Close_4400_for_a_message_that_is_not_json()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await Connect(host);
        await Send(socket, "{ not json");
        await AssertClosedWith(socket, CloseCodes.BadRequest, "Invalid message received");
    }

    [Fact]
    public async Task Close_4400_for_an_unknown_message_type()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await ConnectAcknowledged(host);
        await Send(socket, """{"type":"shout"}""");
        await AssertClosedWith(socket, CloseCodes.BadRequest, "Unexpected message of type shout received");
    }

    [Fact]
    public async Task Close_4401_for_a_subscribe_before_the_connection_is_acknowledged()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await Connect(host);
        await Send(socket, """{"type":"subscribe","id":"1","payload":{"query":"{ hello }"}}""");
        await AssertClosedWith(socket, CloseCodes.Unauthorized, "Unauthorized");
    }

    [Fact]
    public async Task Close_4403_when_the_host_refuses_the_init_payload_and_ack_when_it_accepts()
    {
        var options = new GraphQLEndpointOptions
        {
            WebSocket = new GraphQLWebSocketOptions
            {
                OnConnect = (_, payload) => ValueTask.FromResult(payload?.GetValueOrDefault("token") as string == "secret"),
            },
        };
        await using var host = await TestHost.StartAsync(options);
        using var refused = await Connect(host);
        await Send(refused, """{"type":"connection_init","payload":{"token":"guess"}}""");
        await AssertClosedWith(refused, CloseCodes.Forbidden, "Forbidden");

        using var accepted = await Connect(host);
        await Send(accepted, """{"type":"connection_init","payload":{"token":"secret"}}""");
        Assert.Equal("connection_ack", (await Receive(accepted))!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_quiet_connection_gets_pings_as_keep_alives_and_its_subscription_goes_on()
    {
        var options = new GraphQLEndpointOptions { WebSocket = new GraphQLWebSocketOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(100) } };
        await using var host = await TestHost.StartAsync(options);
        using var socket = await ConnectAcknowledged(host);
        for (var i = 0; i < 3; i++) Assert.Equal("ping", (await Receive(socket))!.Value.GetProperty("type").GetString());
        await Send(socket, """{"type":"pong"}""");
        await Send(socket, """{"type":"subscribe","id":"1","payload":{"query":"subscription { count(to: 1) }"}}""");
        var types = new List<string?>();
        while (types.LastOrDefault() != "complete") types.Add((await Receive(socket))!.Value.GetProperty("type").GetString());
        Assert.Equal(["next", "complete"], types.Where(t => t != "ping"));

        await using var quietHost = await TestHost.StartAsync();
        using var quiet = await ConnectAcknowledged(quietHost); // no interval: no pings
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quiet.ReceiveAsync(new byte[256], wait.Token));
    }

    [Fact]
    public async Task Close_4406_without_the_graphql_transport_ws_subprotocol()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await Connect(host, subProtocol: null);
        await AssertClosedWith(socket, CloseCodes.SubprotocolNotAcceptable, "Subprotocol not acceptable");
    }

    [Fact]
    public async Task Close_4408_when_no_connection_init_arrives_in_time()
    {
        await using var host = await TestHost.StartAsync(new GraphQLEndpointOptions
        {
            WebSocket = new GraphQLWebSocketOptions { ConnectionInitTimeout = TimeSpan.FromMilliseconds(200) },
        });
        using var socket = await Connect(host);
        await AssertClosedWith(socket, CloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout");
    }

    [Fact]
    public async Task Close_4409_when_an_id_is_reused_while_its_operation_runs()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await ConnectAcknowledged(host);
        const string subscribe = """{"type":"subscribe","id":"dup","payload":{"query":"subscription { count(to: 1000, intervalMs: 20) }"}}""";
        await Send(socket, subscribe);
        await Send(socket, subscribe);
        await AssertClosedWith(socket, CloseCodes.SubscriberAlreadyExists, "Subscriber for dup already exists");
    }

    [Fact]
    public async Task Close_4429_for_a_second_connection_init()
    {
        await using var host = await TestHost.StartAsync();
        using var socket = await ConnectAcknowledged(host);
        await Send(socket, """{"type":"connection_init"}""");
        await AssertClosedWith(socket, CloseCodes.TooManyInitialisationRequests, "Too many initialisation requests");
    }
}
