using System.Text.Json;
using Records.GraphQL.Tests.Server;

namespace Records.GraphQL.Tests.Http;

/// <summary>
/// graphql-http's server audits (GraphQL over HTTP conformance) against our endpoint on loopback: one test per audit,
/// named by it. Every MUST and SHOULD audit is required; the MAY audits pass too, and are kept so they stay passing.
/// The audits run once, in parallel, for the whole class.
/// </summary>
public class GraphQLHttpAuditTests(GraphQLHttpAuditTests.AuditRun run) : IClassFixture<GraphQLHttpAuditTests.AuditRun>
{
    public static TheoryData<string, string> Audits()
    {
        var audits = JsonDocument.Parse(NodeScript.RunAsync("http-audits.mjs", "list").GetAwaiter().GetResult()).RootElement;
        var data = new TheoryData<string, string>();
        foreach (var audit in audits.EnumerateArray()) data.Add(audit.GetProperty("id").GetString()!, audit.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Audits))]
    public void Audit(string id, string name)
    {
        var result = run.Results.Single(r => r.GetProperty("id").GetString() == id);
        var reason = result.TryGetProperty("reason", out var r) ? r.GetString() : null;
        Assert.True(result.GetProperty("status").GetString() == "ok", $"{id} {name}: {reason}");
    }

    public sealed class AuditRun : IAsyncLifetime
    {
        public IReadOnlyList<JsonElement> Results { get; private set; } = [];

        public async Task InitializeAsync()
        {
            await using var host = await TestHost.StartAsync();
            var output = await NodeScript.RunAsync("http-audits.mjs", "run", host.Endpoint.ToString());
            Results = [.. JsonDocument.Parse(output).RootElement.EnumerateArray()];
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
