using System.Text.Json;
using Records.GraphQL.Tests.Server;

namespace Records.GraphQL.Tests.WebSocket;

/// <summary>The reference client, graphql-ws (npm) on ws, subscribes through our endpoint.</summary>
public class GraphQLWsClientTests
{
    [Fact]
    public async Task The_graphql_ws_client_subscribes_receives_every_event_and_sees_completion()
    {
        await using var host = await TestHost.StartAsync();
        var output = await NodeScript.RunAsync("ws-client.mjs", host.WebSocketEndpoint.ToString(), "subscription { count(to: 5, intervalMs: 10) }");
        var result = JsonDocument.Parse(output).RootElement;
        Assert.True(result.GetProperty("completed").GetBoolean());
        Assert.Equal([1, 2, 3, 4, 5], result.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("count").GetInt32()));
    }
}
