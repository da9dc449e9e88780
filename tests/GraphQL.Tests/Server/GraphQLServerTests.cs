using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Records.GraphQL.Execution;
using Records.GraphQL.Language;
using Records.GraphQL.Server;
using Records.GraphQL.Validation.Limits;

namespace Records.GraphQL.Tests.Server;

public class GraphQLServerTests
{
    private static readonly Records.GraphQL.Types.Schema Schema = TestSchema.Create();

    private static Task<ExecutionResult> Run(GraphQLServer server, GraphQLRequest request, bool allowIntrospection = true) =>
        server.ExecuteAsync(request, new GraphQLRequestContext { AllowIntrospection = allowIntrospection }).AsTask();

    private static string Code(ExecutionResult result) => result.Errors![0].Code;

    [Fact]
    public async Task A_valid_document_is_parsed_once_and_then_served_from_the_cache()
    {
        var server = new GraphQLServer(Schema);
        var request = new GraphQLRequest { Query = "{ hello }" };
        var first = server.Prepare(request);
        var second = server.Prepare(request);
        Assert.Same(first.Document, second.Document);
        Assert.Equal(1, server.Cache!.Count);
        Assert.Equal("""{"data":{"hello":"Hello, world"}}""", (await Run(server, request)).ToJson());
    }

    [Fact]
    public void Invalid_documents_are_not_cached()
    {
        var server = new GraphQLServer(Schema);
        Assert.NotNull(server.Prepare(new GraphQLRequest { Query = "{ nope }" }).Failure);
        Assert.Equal(0, server.Cache!.Count);
    }

    [Fact]
    public void The_cache_drops_the_least_recently_used_document()
    {
        var cache = new DocumentCache(2);
        var (a, b, c) = (DocumentCache.KeyOf("{ a }"), DocumentCache.KeyOf("{ b }"), DocumentCache.KeyOf("{ c }"));
        cache.Add(a, Parser.Parse("{ a }"));
        cache.Add(b, Parser.Parse("{ b }"));
        Assert.True(cache.TryGet(a, out _));       // a is now the most recent
        cache.Add(c, Parser.Parse("{ c }"));
        Assert.True(cache.TryGet(a, out _));
        Assert.False(cache.TryGet(b, out _));
        Assert.True(cache.TryGet(c, out _));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void The_cache_is_safe_under_concurrent_use()
    {
        var server = new GraphQLServer(Schema, new GraphQLServerOptions { DocumentCacheSize = 8 });
        Parallel.For(0, 2000, i =>
        {
            var prepared = server.Prepare(new GraphQLRequest { Query = $"{{ hello(name: \"{i % 20}\") }}" });
            Assert.Null(prepared.Failure);
        });
        Assert.Equal(8, server.Cache!.Count);
    }

    [Fact]
    public async Task Syntax_errors_and_parser_limits_are_request_errors_with_their_codes()
    {
        var server = new GraphQLServer(Schema, new GraphQLServerOptions { Parser = ParserOptions.Default with { MaxTokens = 10 } });
        var syntax = await Run(server, new GraphQLRequest { Query = "{ hello" });
        Assert.False(syntax.HasData);
        Assert.Equal(GraphQLSyntaxError.SyntaxErrorCode, Code(syntax));
        Assert.Equal(new SourceLocation(1, 8), syntax.Errors![0].Locations[0]);

        var tooLong = await Run(server, new GraphQLRequest { Query = "{ a: hello b: hello c: hello d: hello }" });
        Assert.Equal(GraphQLSyntaxError.MaxTokensCode, Code(tooLong));
    }

    [Theory]
    [InlineData("{ items { id } }", MaxDepth.ErrorCode)]
    [InlineData("{ a: hello b: hello c: hello }", MaxAliases.ErrorCode)]
    [InlineData("{ hello me hello }", MaxFields.ErrorCode)]
    [InlineData("{ items(first: 50) { id } }", Cost.ErrorCode)]
    public async Task Validation_limits_are_options_and_each_error_names_its_limit(string query, string code)
    {
        var server = new GraphQLServer(Schema, new GraphQLServerOptions
        {
            MaxDepth = 1, MaxAliases = 2, MaxFields = 2, Cost = new CostOptions(MaximumCost: 20),
        });
        var result = await Run(server, new GraphQLRequest { Query = query });
        Assert.False(result.HasData);
        Assert.Contains(result.Errors!, e => e.Code == code);
    }

    [Fact]
    public async Task The_execution_timeout_is_an_option()
    {
        var server = new GraphQLServer(Schema, new GraphQLServerOptions { ExecutionTimeout = TimeSpan.FromMilliseconds(50) });
        Assert.Equal(ErrorCodes.ExecutionTimeout, Code(await Run(server, new GraphQLRequest { Query = "{ slow }" })));
    }

    [Fact]
    public async Task Trusted_documents_run_only_registered_documents_by_id()
    {
        const string text = "{ hello }";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var server = new GraphQLServer(Schema, new GraphQLServerOptions { TrustedDocuments = new Dictionary<string, string> { [hash] = text } });

        Assert.Equal(ServerErrorCodes.TrustedDocumentRequired, Code(await Run(server, new GraphQLRequest { Query = text })));
        Assert.Equal(ServerErrorCodes.TrustedDocumentNotFound, Code(await Run(server, new GraphQLRequest { DocumentId = "sha256:nope" })));
        Assert.True((await Run(server, new GraphQLRequest { DocumentId = hash })).HasData);

        using var body = JsonDocument.Parse($$$$"""{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"{{{{hash}}}}"}}}""");
        Assert.Equal("""{"data":{"hello":"Hello, world"}}""", (await Run(server, GraphQLRequest.FromJson(body.RootElement))).ToJson());
    }

    [Fact]
    public async Task Without_introspection_validation_messages_suggest_no_schema_names()
    {
        var server = new GraphQLServer(Schema);
        var open = await Run(server, new GraphQLRequest { Query = "{ helo }" });
        Assert.Contains("Did you mean \"hello\"?", open.Errors![0].Message);
        var closed = await Run(server, new GraphQLRequest { Query = "{ helo }" }, allowIntrospection: false);
        Assert.DoesNotContain("hello", closed.Errors![0].Message);
    }

    [Fact]
    public async Task Subscriptions_stream_one_result_per_event_and_queries_give_one_result()
    {
        var server = new GraphQLServer(Schema);
        var context = new GraphQLRequestContext();
        var events = new List<string>();
        await foreach (var result in server.SubscribeAsync(server.Prepare(new GraphQLRequest { Query = "subscription { count(to: 3) }" }), context))
            events.Add(result.ToJson());
        Assert.Equal(["""{"data":{"count":1}}""", """{"data":{"count":2}}""", """{"data":{"count":3}}"""], events);

        var single = new List<ExecutionResult>();
        await foreach (var result in server.SubscribeAsync(server.Prepare(new GraphQLRequest { Query = "{ hello }" }), context)) single.Add(result);
        Assert.Single(single);
    }

    [Fact]
    public void Get_parameters_are_read_from_the_query_string_with_json_variables()
    {
        var values = new Dictionary<string, string> { ["query"] = "{ hello }", ["variables"] = """{"a":1}""", ["operationName"] = "Q" };
        var request = GraphQLRequest.FromQueryString(values.GetValueOrDefault);
        Assert.Equal(1, Convert.ToInt32(request.Variables!["a"]));
        Assert.Equal("Q", request.OperationName);
        var error = Assert.Throws<GraphQLError>(() => GraphQLRequest.FromQueryString(new Dictionary<string, string> { ["query"] = "{ a }", ["variables"] = "{" }.GetValueOrDefault));
        Assert.Equal("The \"variables\" parameter is not valid JSON.", error.Message);
    }
}
