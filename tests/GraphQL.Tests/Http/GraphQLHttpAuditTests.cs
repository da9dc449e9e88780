using System.Text.Json;
using Records.GraphQL.Tests.Server;

namespace Records.GraphQL.Tests.Http;

/// <summary>
/// graphql-http's server audits (GraphQL over HTTP conformance) against our endpoint on loopback: one test per MUST and
/// SHOULD audit, named by it. The audits run once, in parallel, for the whole class.
/// </summary>
public class GraphQLHttpAuditTests(GraphQLHttpAuditTests.AuditRun run) : IClassFixture<GraphQLHttpAuditTests.AuditRun>
{
    public static TheoryData<string, string> RequiredAudits()
    {
        var audits = JsonDocument.Parse(NodeScript.RunAsync("http-audits.mjs", "list").GetAwaiter().GetResult()).RootElement;
        var data = new TheoryData<string, string>();
        foreach (var audit in audits.EnumerateArray())
        {
            var name = audit.GetProperty("name").GetString()!;
            if (name.StartsWith("MUST ", StringComparison.Ordinal) || name.StartsWith("SHOULD ", StringComparison.Ordinal))
                data.Add(audit.GetProperty("id").GetString()!, name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RequiredAudits))]
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
