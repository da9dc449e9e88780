using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

// Mirrors graphql-js's lists-test: [T], [T]!, [T!], [T!]! with nulls and errors in items.
public class ListTests
{
    private static Task<string> Complete(GraphQLType listType, object? value)
    {
        var query = new ObjectType("Query", t => t.Field("list", listType, _ => value));
        return Run.Json(new Schema(query), "{ list }");
    }

    private const string NullItemError =
        """{"message":"Cannot return null for non-nullable field Query.list.","locations":[{"line":1,"column":3}],"path":["list",1],"extensions":{"code":"INVALID_FIELD_RESULT"}}""";

    [Fact]
    public async Task Nullable_list_of_nullable_items()
    {
        var type = ScalarType.Int.List();
        AssertJson("""{"data":{"list":[1,null,2]}}""", await Complete(type, new int?[] { 1, null, 2 }));
        AssertJson("""{"data":{"list":null}}""", await Complete(type, null));
    }

    [Fact]
    public async Task Non_null_items_null_the_list()
    {
        AssertJson("""{"errors":[""" + NullItemError + """],"data":{"list":null}}""", await Complete(ScalarType.Int.NonNull().List(), new int?[] { 1, null, 2 }));
    }

    [Fact]
    public async Task Non_null_list_of_non_null_items_nulls_the_parent()
    {
        AssertJson("""{"errors":[""" + NullItemError + """],"data":null}""", await Complete(ScalarType.Int.NonNull().List().NonNull(), new int?[] { 1, null, 2 }));
    }

    [Fact]
    public async Task Any_enumerable_completes_as_a_list()
    {
        AssertJson("""{"data":{"list":[0,1,4]}}""", await Complete(ScalarType.Int.List(), Enumerable.Range(0, 3).Select(i => i * i)));
        AssertJson("""{"data":{"list":[["a"],["b","c"]]}}""", await Complete(ScalarType.String.List().List(), new[] { new[] { "a" }, new[] { "b", "c" } }));
    }

    [Fact]
    public async Task A_non_list_value_is_a_field_error()
    {
        AssertJson("""
            {"errors":[{"message":"Expected Iterable, but did not find one for field \"Query.list\".","locations":[{"line":1,"column":3}],"path":["list"],"extensions":{"code":"INVALID_FIELD_RESULT"}}],
             "data":{"list":null}}
            """, await Complete(ScalarType.String.List(), "not a list"));
    }

    [Fact]
    public async Task Async_items_keep_their_order_and_errors_have_indices()
    {
        var item = new ObjectType("Item", t => t.Field("v", ScalarType.Int.NonNull(), async c =>
        {
            var n = (int)c.Source!;
            await Task.Delay(3 * (3 - n));
            return n == 1 ? throw new GraphQLError("bad item", "BAD") : n;
        }));
        var query = new ObjectType("Query", t => t.Field("items", item.List(), _ => new[] { 0, 1, 2 }));

        var json = await Run.Json(new Schema(query), "{ items { v } }");

        AssertJson("""
            {"errors":[{"message":"bad item","locations":[{"line":1,"column":11}],"path":["items",1,"v"],"extensions":{"code":"BAD"}}],
             "data":{"items":[{"v":0},null,{"v":2}]}}
            """, json);
    }

    [Fact]
    public async Task Leaf_values_are_serialized_and_bad_ones_are_field_errors()
    {
        var color = EnumType.FromNames("Color", ["RED"]);
        var query = new ObjectType("Query", t => t
            .Field("n", ScalarType.Int, _ => "12")
            .Field("f", ScalarType.Float, _ => 1.5m)
            .Field("bad", ScalarType.Int, _ => "abc")
            .Field("color", color, _ => "RED")
            .Field("unknownColor", color, _ => "BLUE"));

        var json = await Run.Json(new Schema(query), "{ n f bad color unknownColor }");

        AssertJson("""
            {"errors":[
              {"message":"Int cannot represent non-integer value: \"abc\"","locations":[{"line":1,"column":7}],"path":["bad"],"extensions":{"code":"COERCION_FAILED"}},
              {"message":"Enum \"Color\" cannot represent value: \"BLUE\"","locations":[{"line":1,"column":17}],"path":["unknownColor"],"extensions":{"code":"COERCION_FAILED"}}],
             "data":{"n":12,"f":1.5,"bad":null,"color":"RED","unknownColor":null}}
            """, json);
    }
}
