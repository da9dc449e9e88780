using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

// Mirrors graphql-js's nonnull-test: errors and nulls in non-null positions null the nearest nullable parent.
public class NullPropagationTests
{
    private static readonly Schema Schema = Build();

    private static Schema Build()
    {
        ObjectType data = null!;
        data = new ObjectType("DataType", t => t
            .Field("sync", ScalarType.String, _ => throw new InvalidOperationException("sync"))
            .Field("syncNonNull", ScalarType.String.NonNull(), _ => throw new InvalidOperationException("syncNonNull"))
            .Field("promise", ScalarType.String, async _ => { await Task.Yield(); throw new InvalidOperationException("promise"); })
            .Field("promiseNonNull", ScalarType.String.NonNull(), async _ => { await Task.Yield(); throw new InvalidOperationException("promiseNonNull"); })
            .Field("nullNonNull", ScalarType.String.NonNull(), _ => null)
            .Field("nest", data, _ => new object())
            .Field("nestNonNull", data.NonNull(), _ => new object())
            .Field("promiseNest", data, async _ => { await Task.Yield(); return new object(); }));
        return new Schema(data).AssertValid();
    }

    // Resolver exception messages are exposed so each test can tell which field failed.
    private static Task<string> Exposed(string document) =>
        Run.Json(new Records.GraphQL.Execution.ExecutionRequest
        {
            Schema = Schema,
            Document = Records.GraphQL.Language.Parser.Parse(document),
            ExposeExceptionMessages = true,
        });

    [Fact]
    public async Task Nullable_field_that_throws_is_null_with_an_error()
    {
        AssertJson("""
            {"errors":[{"message":"sync","locations":[{"line":1,"column":10}],"path":["nest","sync"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],
             "data":{"nest":{"sync":null}}}
            """, await Exposed("{ nest { sync } }"));
    }

    [Fact]
    public async Task Non_null_field_that_throws_nulls_its_parent()
    {
        AssertJson("""
            {"errors":[{"message":"syncNonNull","locations":[{"line":1,"column":10}],"path":["nest","syncNonNull"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],
             "data":{"nest":null}}
            """, await Exposed("{ nest { syncNonNull } }"));
    }

    [Fact]
    public async Task Async_non_null_error_propagates_through_non_null_parents_to_the_nearest_nullable()
    {
        AssertJson("""
            {"errors":[{"message":"promiseNonNull","locations":[{"line":1,"column":45}],"path":["promiseNest","nestNonNull","nestNonNull","promiseNonNull"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],
             "data":{"promiseNest":null}}
            """, await Exposed("{ promiseNest { nestNonNull { nestNonNull { promiseNonNull } } } }"));
    }

    [Fact]
    public async Task Returning_null_for_non_null_reports_the_field()
    {
        AssertJson("""
            {"errors":[{"message":"Cannot return null for non-nullable field DataType.nullNonNull.","locations":[{"line":1,"column":24}],
              "path":["nest","nestNonNull","nullNonNull"],"extensions":{"code":"INVALID_FIELD_RESULT"}}],
             "data":{"nest":null}}
            """, await Exposed("{ nest { nestNonNull { nullNonNull } } }"));
    }

    [Fact]
    public async Task Null_reaching_the_root_makes_data_null()
    {
        var json = await Exposed("{ nestNonNull { syncNonNull } }");

        AssertJson("""
            {"errors":[{"message":"syncNonNull","locations":[{"line":1,"column":17}],"path":["nestNonNull","syncNonNull"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],
             "data":null}
            """, json);
    }

    [Fact]
    public async Task Sibling_errors_are_all_reported()
    {
        var json = await Exposed("{ nest { sync promise } other: nest { promiseNonNull } }");

        AssertJson("""
            {"errors":[
              {"message":"sync","locations":[{"line":1,"column":10}],"path":["nest","sync"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},
              {"message":"promise","locations":[{"line":1,"column":15}],"path":["nest","promise"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},
              {"message":"promiseNonNull","locations":[{"line":1,"column":39}],"path":["other","promiseNonNull"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],
             "data":{"nest":{"sync":null,"promise":null},"other":null}}
            """, SortErrorsByPath(json));
    }

    [Fact]
    public async Task Exception_messages_are_masked_unless_exposed()
    {
        var json = await Run.Json(Schema, "{ nest { sync } }");

        AssertJson("""
            {"errors":[{"message":"Unexpected error.","locations":[{"line":1,"column":10}],"path":["nest","sync"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],
             "data":{"nest":{"sync":null}}}
            """, json);
    }

    [Fact]
    public async Task A_host_can_turn_an_exception_it_can_explain_into_a_typed_error_and_leave_the_others_masked()
    {
        var json = await Run.Json(new Records.GraphQL.Execution.ExecutionRequest
        {
            Schema = Schema,
            Document = Records.GraphQL.Language.Parser.Parse("{ nest { sync promise } }"),
            MapException = e => e.Message == "promise" ? new GraphQLError("The store is away; try again.", "store.unavailable") : null,
        });

        AssertJson("""
            {"errors":[{"message":"Unexpected error.","locations":[{"line":1,"column":10}],"path":["nest","sync"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}},
                       {"message":"The store is away; try again.","locations":[{"line":1,"column":15}],"path":["nest","promise"],"extensions":{"code":"store.unavailable"}}],
             "data":{"nest":{"sync":null,"promise":null}}}
            """, json);
    }

    [Fact]
    public async Task A_mapping_that_throws_explains_nothing_and_the_error_stays_masked()
    {
        // A host's own bug in its mapping must not turn one field's error into a failed request.
        var json = await Run.Json(new Records.GraphQL.Execution.ExecutionRequest
        {
            Schema = Schema,
            Document = Records.GraphQL.Language.Parser.Parse("{ nest { promise } }"),
            MapException = e => throw new InvalidOperationException("the mapping itself failed"),
        });

        AssertJson("""
            {"errors":[{"message":"Unexpected error.","locations":[{"line":1,"column":10}],"path":["nest","promise"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],
             "data":{"nest":{"promise":null}}}
            """, json);
    }

    [Fact]
    public async Task The_mappings_own_failure_rides_along_with_the_resolvers_for_the_hosts_logs()
    {
        var result = await Records.GraphQL.Execution.Executor.ExecuteAsync(new Records.GraphQL.Execution.ExecutionRequest
        {
            Schema = Schema,
            Document = Records.GraphQL.Language.Parser.Parse("{ nest { promise } }"),
            MapException = e => throw new InvalidOperationException("the mapping itself failed"),
        });

        var both = Assert.IsType<AggregateException>(Assert.Single(result.Errors!).InnerException);
        Assert.Equal(["promise", "the mapping itself failed"], both.InnerExceptions.Select(e => e.Message));
    }

    [Fact]
    public async Task GraphQL_errors_thrown_by_resolvers_keep_message_code_and_extensions()
    {
        var query = new ObjectType("Query", t => t.Field("secret", ScalarType.String, _ =>
            throw new GraphQLError("Not allowed.", "FORBIDDEN", extensions: new Dictionary<string, object?> { ["reason"] = "role" })));

        var json = await Run.Json(new Schema(query), "{ secret }");

        AssertJson("""
            {"errors":[{"message":"Not allowed.","locations":[{"line":1,"column":3}],"path":["secret"],"extensions":{"code":"FORBIDDEN","reason":"role"}}],
             "data":{"secret":null}}
            """, json);
    }

    // Concurrent siblings may fail in any order; the order of errors is not part of the contract.
    private static string SortErrorsByPath(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var errors = node["errors"]!.AsArray().Select(e => e!.DeepClone()).OrderBy(e => e["locations"]![0]!["column"]!.GetValue<int>()).ToArray();
        node["errors"] = new System.Text.Json.Nodes.JsonArray(errors);
        return node.ToJsonString();
    }
}
