using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Identity;
using Records.Domain;

namespace Records.Api.Tests.Reads;

/// <summary>Posts GraphQL requests to the real host as a given person, and finds the refusals the host recorded.</summary>
public sealed class GraphQLClient(RecordsHostFixture host)
{
    public async Task<JsonElement> PostAsync(Actor actor, string query, object? variables = null, string? traceParent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        var token = host.Host.App.Services.GetRequiredService<TokenIssuer>().Issue(actor.Id, actor.Role, actor.RealNameVerified);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (traceParent is not null) request.Headers.Add("traceparent", traceParent);
        var response = await host.Http.SendAsync(request);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The data of <paramref name="field"/>, failing with the errors if there are any.</summary>
    public async Task<JsonElement> DataAsync(Actor actor, string query, string field, object? variables = null)
    {
        var body = await PostAsync(actor, query, variables);
        Assert.False(body.TryGetProperty("errors", out var errors), $"{field}: {errors}");
        return body.GetProperty("data").GetProperty(field);
    }

    /// <summary>The code of the one error the request got.</summary>
    public async Task<string?> ErrorCodeAsync(Actor actor, string query, object? variables = null)
    {
        var body = await PostAsync(actor, query, variables);
        Assert.True(body.TryGetProperty("errors", out var errors), $"expected an error, got {body}");
        return errors[0].GetProperty("extensions").GetProperty("code").GetString();
    }

    /// <summary>The rejection codes the host recorded for <paramref name="actor"/>'s refused attempts, oldest first.</summary>
    public async Task<IReadOnlyList<string>> RecordedRefusalsAsync(Actor actor)
    {
        var codes = new List<string>();
        await using var command = host.Admin.CreateCommand("""
            select data->>'code' from eventstore.events where stream_type = 'command_rejection' and data ? 'code'
            and actor_id = $1 order by id
            """);
        command.Parameters.Add(new() { Value = actor.Id });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) codes.Add(reader.GetString(0));
        return codes;
    }
}
