using Records.GraphQL.Execution;
using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

public class ExecutorTests
{
    private sealed record Person(string Name, int Age)
    {
        public string Greeting() => "Hello, " + Name;
        public string? Nickname;
    }

    private static Schema PeopleSchema()
    {
        var person = new ObjectType("Person", t => t
            .Field("name", ScalarType.String)
            .Field("age", ScalarType.Int)
            .Field("greeting", ScalarType.String)
            .Field("nickname", ScalarType.String));
        var query = new ObjectType("Query", t => t
            .Field("hero", person, _ => new Person("Ada", 36) { Nickname = "Countess" })
            .Field("map", person, _ => new Dictionary<string, object?> { ["name"] = "Map", ["age"] = 1 })
            .Field("echo", ScalarType.String, c => c.Argument<string>("text") + "/" + c.Argument<int>("times"),
                arguments: [new("text", ScalarType.String.NonNull()), new("times", ScalarType.Int) { DefaultValue = 2 }]));
        return new Schema(query).AssertValid();
    }

    [Fact]
    public async Task Default_resolver_reads_properties_fields_methods_and_dictionary_keys()
    {
        var json = await Json(PeopleSchema(), "{ hero { name age greeting nickname } map { name age greeting } }");

        AssertJson("""
            {"data":{"hero":{"name":"Ada","age":36,"greeting":"Hello, Ada","nickname":"Countess"},
                     "map":{"name":"Map","age":1,"greeting":null}}}
            """, json);
    }

    [Fact]
    public async Task Aliases_fragments_and_typename_keep_selection_order()
    {
        var json = await Json(PeopleSchema(), """
            { a: hero { ...F } b: hero { __typename ... on Person { n: name } } }
            fragment F on Person { age name }
            """);

        AssertJson("""{"data":{"a":{"age":36,"name":"Ada"},"b":{"__typename":"Person","n":"Ada"}}}""", json);
    }

    [Fact]
    public async Task Merges_fields_with_the_same_response_key()
    {
        var json = await Json(PeopleSchema(), "{ hero { name } hero { age } }");

        AssertJson("""{"data":{"hero":{"name":"Ada","age":36}}}""", json);
    }

    [Fact]
    public async Task Arguments_use_literals_variables_and_defaults()
    {
        var schema = PeopleSchema();

        AssertJson("""{"data":{"echo":"hi/2"}}""", await Json(schema, """{ echo(text: "hi") }"""));
        AssertJson("""{"data":{"echo":"yo/5"}}""", await Json(schema, """query($t: String!, $n: Int) { echo(text: $t, times: $n) }""", """{"t":"yo","n":5}"""));
        AssertJson("""{"data":{"echo":"yo/2"}}""", await Json(schema, """query($t: String!, $n: Int) { echo(text: $t, times: $n) }""", """{"t":"yo"}"""));
    }

    [Fact]
    public async Task Explicit_null_variable_overrides_the_argument_default()
    {
        var query = new ObjectType("Query", t => t.Field("value", ScalarType.String,
            c => c.HasArgument("x") ? Inspect.Value(c.Arguments["x"]) : "absent",
            arguments: [new("x", ScalarType.Int) { DefaultValue = 7 }]));
        var schema = new Schema(query);

        AssertJson("""{"data":{"value":"null"}}""", await Json(schema, "query($v: Int) { value(x: $v) }", """{"v":null}"""));
        AssertJson("""{"data":{"value":"7"}}""", await Json(schema, "query($v: Int) { value(x: $v) }", "{}"));
    }

    [Fact]
    public async Task Picks_the_named_operation()
    {
        var document = "query A { hero { name } } query B { hero { age } }";

        AssertJson("""{"data":{"hero":{"age":36}}}""", await Json(PeopleSchema(), document, operationName: "B"));
    }

    [Theory]
    [InlineData("query A { hero { name } } query B { hero { age } }", null, "Must provide operation name if query contains multiple operations.")]
    [InlineData("query A { hero { name } }", "C", "Unknown operation named \"C\".")]
    [InlineData("fragment F on Person { name }", null, "Must provide an operation.")]
    public async Task Operation_selection_errors_are_request_errors(string document, string? operationName, string message)
    {
        var json = await Json(PeopleSchema(), document, operationName: operationName);

        var result = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        Assert.Equal(message, (string)result["errors"]![0]!["message"]!);
        Assert.Equal("OPERATION_NOT_FOUND", (string)result["errors"]![0]!["extensions"]!["code"]!);
        Assert.Null(result["data"]);
    }

    [Fact]
    public async Task Operation_without_a_root_type_is_refused()
    {
        var json = await Json(PeopleSchema(), "mutation { x }");

        AssertJson("""
            {"errors":[{"message":"Schema is not configured to execute mutation operation.","locations":[{"line":1,"column":1}],
              "extensions":{"code":"OPERATION_NOT_SUPPORTED"}}]}
            """, json);
    }

    [Fact]
    public async Task Root_value_is_the_source_of_root_fields()
    {
        var query = new ObjectType("Query", t => t.Field("a", ScalarType.String).Field("b", ScalarType.Int));
        var json = await Json(new Schema(query), "{ a b }", root: new { A = "from root", B = 2 });

        AssertJson("""{"data":{"a":"from root","b":2}}""", json);
    }

    [Fact]
    public async Task Resolver_context_carries_path_parent_type_services_and_items()
    {
        string? seen = null;
        var item = new ObjectType("Item", t => t.Field("probe", ScalarType.String, c =>
        {
            seen = $"{string.Join(".", c.Path.ToList())} on {c.ParentType.Name}, items {c.Items["tenant"]}";
            return "ok";
        }));
        var query = new ObjectType("Query", t => t.Field("items", item.List(), _ => new object[] { 1, 2 }));
        var request = Request(new Schema(query), "{ items { probe } }") is var r
            ? new ExecutionRequest { Schema = r.Schema, Document = r.Document, Items = new Dictionary<string, object?> { ["tenant"] = "t1" } }
            : null!;

        await Json(request);

        Assert.Equal("items.1.probe on Item, items t1", seen);
    }

    [Fact]
    public async Task Mutation_fields_run_one_after_another()
    {
        var log = new List<string>();
        var counter = 0;
        var mutation = new ObjectType("Mutation", t => t.Field("add", ScalarType.Int, async c =>
        {
            var n = c.Argument<int>("n");
            log.Add("start " + n);
            await Task.Delay(30 - n * 10);
            counter += n;
            log.Add("end " + n);
            return counter;
        }, arguments: [new("n", ScalarType.Int.NonNull())]));
        var schema = new Schema(new ObjectType("Query", t => t.Field("x", ScalarType.Int)), mutation);

        var json = await Json(schema, "mutation { a: add(n: 1) b: add(n: 2) c: add(n: 3) }");

        AssertJson("""{"data":{"a":1,"b":3,"c":6}}""", json);
        Assert.Equal(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"], log);
    }

    [Fact]
    public async Task Query_fields_resolve_concurrently()
    {
        var running = 0;
        var peak = 0;
        var gate = new TaskCompletionSource();
        var query = new ObjectType("Query", t => t.Field("slow", ScalarType.Int, async c =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            if (now == 3) gate.SetResult();
            await gate.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Interlocked.Decrement(ref running);
            return c.Argument<int>("n");
        }, arguments: [new("n", ScalarType.Int.NonNull())]));

        var json = await Json(new Schema(query), "{ a: slow(n: 1) b: slow(n: 2) c: slow(n: 3) }");

        AssertJson("""{"data":{"a":1,"b":2,"c":3}}""", json);
        Assert.Equal(3, peak);
    }

    [Fact]
    public async Task Synchronous_resolvers_complete_synchronously()
    {
        var task = Executor.ExecuteAsync(Request(PeopleSchema(), "{ hero { name age } map { name } }"));

        Assert.True(task.IsCompletedSuccessfully);
        Assert.True((await task).HasData);
    }

    [Fact]
    public async Task Subscription_operation_is_refused_by_ExecuteAsync()
    {
        var subscription = new ObjectType("Subscription", t => t.Field("tick", ScalarType.Int));
        var schema = new Schema(new ObjectType("Query", t => t.Field("x", ScalarType.Int)), subscription: subscription);

        var result = await Executor.ExecuteAsync(Request(schema, "subscription { tick }"));

        Assert.False(result.HasData);
        Assert.Equal(ErrorCodes.OperationNotSupported, result.Errors![0].Code);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
