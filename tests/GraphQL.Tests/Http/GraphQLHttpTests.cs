using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Records.GraphQL.Http;
using Records.GraphQL.Tests.Server;

namespace Records.GraphQL.Tests.Http;

public class GraphQLHttpTests
{
    private const string ResponseJson = "application/graphql-response+json";

    private static HttpRequestMessage Post(Uri endpoint, string body, string? accept = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    private static async Task<(HttpStatusCode Status, string? MediaType, JsonElement Body, HttpResponseMessage Response)> Send(TestHost host, HttpRequestMessage request)
    {
        var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(text).RootElement, response);
    }

    private static string FirstMessage(JsonElement body) => body.GetProperty("errors")[0].GetProperty("message").GetString()!;

    [Fact]
    public async Task Post_with_json_runs_the_query_and_answers_application_json_by_default()
    {
        await using var host = await TestHost.StartAsync();
        var (status, mediaType, body, _) = await Send(host, Post(host.Endpoint, """{"query":"query($n: String) { hello(name: $n) }","variables":{"n":"Ada"}}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", mediaType);
        Assert.Equal("Hello, Ada", body.GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task Graphql_response_json_gives_400_without_data_for_validation_errors_and_application_json_gives_200()
    {
        await using var host = await TestHost.StartAsync();
        var strict = await Send(host, Post(host.Endpoint, """{"query":"{ nope }"}""", ResponseJson));
        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.Equal(ResponseJson, strict.MediaType);
        Assert.False(strict.Body.TryGetProperty("data", out _));
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", strict.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        var legacy = await Send(host, Post(host.Endpoint, """{"query":"{ nope }"}""", "application/json"));
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        Assert.Equal("application/json", legacy.MediaType);
    }

    [Theory]
    [InlineData("application/json;q=0.5, application/graphql-response+json", ResponseJson)]
    [InlineData("application/graphql-response+json;q=0.2, application/json", "application/json")]
    [InlineData("text/html, */*;q=0.1", "application/json")]
    public async Task The_accept_header_chooses_the_media_type_by_quality(string accept, string expected)
    {
        await using var host = await TestHost.StartAsync();
        var (status, mediaType, _, _) = await Send(host, Post(host.Endpoint, """{"query":"{ hello }"}""", accept));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, mediaType);
    }

    [Fact]
    public async Task An_accept_header_without_a_json_type_gets_406()
    {
        await using var host = await TestHost.StartAsync();
        var (status, _, body, _) = await Send(host, Post(host.Endpoint, """{"query":"{ hello }"}""", "text/html"));
        Assert.Equal(HttpStatusCode.NotAcceptable, status);
        Assert.Contains("Accept", FirstMessage(body));
    }

    [Fact]
    public async Task Get_runs_queries_from_the_query_string_and_refuses_mutations_with_405_and_allow_post()
    {
        await using var host = await TestHost.StartAsync();
        var query = await Send(host, new HttpRequestMessage(HttpMethod.Get,
            host.Endpoint + "?query=" + Uri.EscapeDataString("query($n: String) { hello(name: $n) }") + "&variables=" + Uri.EscapeDataString("""{"n":"Bo"}""")));
        Assert.Equal("Hello, Bo", query.Body.GetProperty("data").GetProperty("hello").GetString());

        var mutation = await Send(host, new HttpRequestMessage(HttpMethod.Get, host.Endpoint + "?query=" + Uri.EscapeDataString("mutation { increment }")));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.Status);
        Assert.Equal("POST", mutation.Response.Content.Headers.Allow.Single());
        Assert.Contains("Mutations cannot be sent with GET", FirstMessage(mutation.Body));
    }

    [Fact]
    public async Task Other_methods_get_405_with_allow_get_and_post()
    {
        await using var host = await TestHost.StartAsync();
        var (status, _, _, response) = await Send(host, new HttpRequestMessage(HttpMethod.Put, host.Endpoint) { Content = new StringContent("{}") });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.OrderBy(m => m));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json; charset=latin1")]
    public async Task Post_bodies_that_are_not_utf8_json_get_415(string contentType)
    {
        await using var host = await TestHost.StartAsync();
        var (status, _, body, _) = await Send(host, Post(host.Endpoint, """{"query":"{ hello }"}""", contentType: contentType));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("BAD_REQUEST", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{ "query": """, "not valid JSON")]
    [InlineData("""[1]""", "must be a JSON object")]
    [InlineData("""{"query": 1}""", "\"query\" parameter must be a string")]
    [InlineData("""{"query": "{ hello }", "variables": []}""", "\"variables\" parameter must be a JSON object")]
    [InlineData("""{"operationName": "A"}""", "The request has no query")]
    [InlineData("", "The request body is empty")]
    public async Task Malformed_requests_get_400_with_a_clear_message(string requestBody, string message)
    {
        await using var host = await TestHost.StartAsync();
        var (status, _, body, _) = await Send(host, Post(host.Endpoint, requestBody, ResponseJson));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, FirstMessage(body));
    }

    [Fact]
    public async Task Bodies_over_the_limit_get_413()
    {
        await using var host = await TestHost.StartAsync(new GraphQLEndpointOptions { MaxRequestBodyBytes = 100 });
        var large = $$$"""{"query":"{ hello }","extensions":{"pad":"{{{new string('x', 200)}}}"}}""";
        var (status, _, body, _) = await Send(host, Post(host.Endpoint, large));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("limit of 100 bytes", FirstMessage(body));

        // Without a Content-Length the limit holds while the body streams in.
        var chunked = Post(host.Endpoint, large);
        chunked.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Send(host, chunked)).Status);
        var small = Post(host.Endpoint, """{"query":"{ hello }"}""");
        small.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.OK, (await Send(host, small)).Status);
    }

    [Fact]
    public async Task The_host_hook_puts_the_user_into_the_request_and_can_switch_introspection_off()
    {
        await using var host = await TestHost.StartAsync(new GraphQLEndpointOptions
        {
            ConfigureRequest = (http, context) =>
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, http.Request.Headers["X-User"].ToString())], "test"));
                context.AllowIntrospection = false;
                return ValueTask.CompletedTask;
            },
        });
        var request = Post(host.Endpoint, """{"query":"{ me __type(name: \"Query\") { name } }"}""");
        request.Headers.Add("X-User", "alice");
        var (_, _, body, _) = await Send(host, request);
        Assert.Equal("alice", body.GetProperty("data").GetProperty("me").GetString());
        Assert.Equal("INTROSPECTION_DISABLED", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_variable_coercion_failure_is_a_request_error_with_400_under_graphql_response_json()
    {
        await using var host = await TestHost.StartAsync();
        var (status, _, body, _) = await Send(host, Post(host.Endpoint, """{"query":"query($n: Int!) { items(first: $n) { id } }","variables":{"n":"x"}}""", ResponseJson));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BAD_USER_INPUT", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }
}
