using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Records.Api.Tests.Schema;

namespace Records.Api.Tests.Hosting;

public sealed class GraphiQLTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>
{
    private async Task<HttpResponseMessage> GetAsync(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return await host.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_browser_opening_the_graphql_path_gets_graphiql_with_its_files_served_from_the_host()
    {
        var page = await GetAsync("/graphql", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("GraphiQL", html);
        Assert.Contains("token --subject", html);
        // Offline: every script and style the page loads comes from this host.
        var assets = System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(6, assets.Count);
        foreach (var asset in assets)
        {
            Assert.StartsWith("/graphiql/", asset);
            var file = await GetAsync(asset, "*/*");
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)file.StatusCode}");
            Assert.True((await file.Content.ReadAsByteArrayAsync()).Length > 100, asset);
        }
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/graphql-response+json, text/html;q=0.5")]
    public async Task GraphQL_clients_still_reach_the_endpoint(string accept)
    {
        var response = await GetAsync("/graphql?query=%7Bme%7Bid%7D%7D", accept);
        var withoutQuery = await GetAsync("/graphql", accept);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutQuery.StatusCode);
    }

    [Fact]
    public async Task Without_the_demo_no_persona_is_offered()
    {
        var response = await GetAsync("/graphiql/personas", "application/json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>With the demo hospital loaded, the page offers each persona with a short-lived token that works.</summary>
public sealed class GraphiQLPersonaTests(DemoHostFixture host) : IClassFixture<DemoHostFixture>
{
    private sealed record Persona(string Id, string Role, string Shows, string Token);

    private sealed record Me(string Id, string Role);

    [Fact]
    public async Task Each_demo_persona_comes_with_a_token_for_an_hour()
    {
        var personas = await host.Http.GetFromJsonAsync<List<Persona>>("/graphiql/personas");

        Assert.Equal(Records.Api.Demo.DemoPersonas.All.Count, personas!.Count);
        var pharmacist = personas.Single(p => p.Id == "ph-liu");
        Assert.Equal("pharmacist", pharmacist.Role);
        var token = new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().ReadJwtToken(pharmacist.Token);
        Assert.InRange(token.ValidTo - token.ValidFrom, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pharmacist.Token);
        var me = await (await host.Http.SendAsync(request)).Content.ReadFromJsonAsync<Me>();
        Assert.Equal(new Me("ph-liu", "pharmacist"), me);
    }
}
