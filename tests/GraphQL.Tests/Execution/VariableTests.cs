using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

// Mirrors graphql-js's variables-test: CoerceVariableValues and argument coercion.
public class VariableTests
{
    private static readonly Schema Schema = SchemaBuilder.FromSdl("""
        input TestInput { a: String b: [String] c: String! d: Int = 4 }
        input OneKey @oneOf { id: ID name: String }
        enum Color { RED GREEN }
        type Query {
          input(value: TestInput): String
          nonNull(value: String!): String
          list(value: [String!]): String
          color(value: Color): String
          oneOf(value: OneKey!): String
          int(value: Int): String
        }
        """);

    // Every field echoes its coerced argument, so the tests see exactly what coercion produced.
    private static Task<string> Execute(string document, string? variables = null) => Json(Echoing(), document, variables);

    private static Schema Echoing()
    {
        var query = (ObjectType)Schema.Query!;
        var fields = query.Fields.Values.Select(f => new FieldDefinition(f.Name, f.Type, f.Arguments)
        {
            Resolve = c => new ValueTask<object?>(c.HasArgument("value") ? Inspect.Value(c.Arguments["value"]) : "absent"),
        }).ToArray();
        var echo = new ObjectType("Query", t => { foreach (var field in fields) t.Field(field); });
        return new Schema(echo, types: Schema.Types.Values.Where(t => t is InputObjectType or EnumType));
    }

    [Fact]
    public async Task Input_object_variable_is_coerced_with_defaults()
    {
        AssertJson("""{"data":{"input":"{ a: \"foo\", b: [\"bar\"], c: \"baz\", d: 4 }"}}""",
            await Execute("query($v: TestInput) { input(value: $v) }", """{"v":{"a":"foo","b":"bar","c":"baz"}}"""));
    }

    [Fact]
    public async Task Inline_object_with_a_variable_inside()
    {
        AssertJson("""{"data":{"input":"{ a: \"x\", c: \"y\", d: 4 }"}}""",
            await Execute("""query($c: String!) { input(value: {a: "x", c: $c}) }""", """{"c":"y"}"""));
    }

    [Fact]
    public async Task Missing_required_variable_is_a_request_error()
    {
        AssertJson("""
            {"errors":[{"message":"Variable \"$v\" of required type \"String!\" was not provided.","locations":[{"line":1,"column":7}],"extensions":{"code":"BAD_USER_INPUT"}}]}
            """, await Execute("query($v: String!) { nonNull(value: $v) }", "{}"));
    }

    [Fact]
    public async Task Null_for_non_null_variable_is_a_request_error()
    {
        AssertJson("""
            {"errors":[{"message":"Variable \"$v\" of non-null type \"String!\" must not be null.","locations":[{"line":1,"column":7}],"extensions":{"code":"BAD_USER_INPUT"}}]}
            """, await Execute("query($v: String!) { nonNull(value: $v) }", """{"v":null}"""));
    }

    [Fact]
    public async Task Invalid_variable_value_names_the_variable_and_the_problem()
    {
        AssertJson("""
            {"errors":[{"message":"Variable \"$v\" got invalid value { a: \"foo\", b: \"bar\" }; Field \"c\" of required type \"String!\" was not provided at $v.",
              "locations":[{"line":1,"column":7}],"extensions":{"code":"BAD_USER_INPUT"}}]}
            """, await Execute("query($v: TestInput) { input(value: $v) }", """{"v":{"a":"foo","b":"bar"}}"""));
    }

    [Fact]
    public async Task Every_bad_variable_is_reported()
    {
        var json = await Execute("query($a: Int, $b: Color) { int(value: $a) color(value: $b) }", """{"a":"x","b":"BLUE"}""");

        AssertJson("""
            {"errors":[
              {"message":"Variable \"$a\" got invalid value \"x\"; Int cannot represent non-integer value: \"x\" at $a.","locations":[{"line":1,"column":7}],"extensions":{"code":"BAD_USER_INPUT"}},
              {"message":"Variable \"$b\" got invalid value \"BLUE\"; Value \"BLUE\" does not exist in \"Color\" enum at $b.","locations":[{"line":1,"column":16}],"extensions":{"code":"BAD_USER_INPUT"}}]}
            """, json);
    }

    [Fact]
    public async Task Single_value_is_coerced_to_a_list()
    {
        AssertJson("""{"data":{"list":"[\"one\"]"}}""", await Execute("query($v: [String!]) { list(value: $v) }", """{"v":"one"}"""));
    }

    [Fact]
    public async Task Variable_default_is_used_when_absent()
    {
        AssertJson("""{"data":{"color":"\"GREEN\""}}""", await Execute("query($v: Color = GREEN) { color(value: $v) }"));
    }

    [Fact]
    public async Task OneOf_input_needs_exactly_one_key()
    {
        AssertJson("""{"data":{"oneOf":"{ id: \"7\" }"}}""", await Execute("query($v: OneKey!) { oneOf(value: $v) }", """{"v":{"id":7}}"""));
        AssertJson("""
            {"errors":[{"message":"Variable \"$v\" got invalid value { id: 7, name: \"x\" }; Exactly one key must be specified for OneOf type \"OneKey\" at $v.",
              "locations":[{"line":1,"column":7}],"extensions":{"code":"BAD_USER_INPUT"}}]}
            """, await Execute("query($v: OneKey!) { oneOf(value: $v) }", """{"v":{"id":7,"name":"x"}}"""));
    }

    [Fact]
    public async Task Absent_nullable_variable_leaves_the_argument_absent()
    {
        AssertJson("""{"data":{"int":"absent"}}""", await Execute("query($v: Int) { int(value: $v) }"));
    }

    [Fact]
    public async Task Required_argument_fed_by_an_absent_variable_is_a_field_error()
    {
        AssertJson("""
            {"errors":[{"message":"Argument \"value\" of required type \"String!\" was provided the variable \"$v\" which was not provided a runtime value.",
              "locations":[{"line":1,"column":36}],"path":["nonNull"],"extensions":{"code":"BAD_USER_INPUT"}}],
             "data":{"nonNull":null}}
            """, await Execute("query($v: String) { nonNull(value: $v) }"));
    }

    [Fact]
    public void Variables_must_be_a_json_object()
    {
        var error = Assert.Throws<GraphQLError>(() =>
            Records.GraphQL.Execution.ExecutionRequest.VariablesFromJson(System.Text.Json.JsonDocument.Parse("[1]").RootElement));

        Assert.Equal("BAD_REQUEST", error.Code);
    }

    [Fact]
    public void Json_variables_keep_integers_as_integers()
    {
        using var json = System.Text.Json.JsonDocument.Parse("""{"small": 1, "large": 3000000000, "fraction": 1.5, "list": [2]}""");
        var variables = Records.GraphQL.Execution.ExecutionRequest.VariablesFromJson(json.RootElement)!;

        Assert.IsType<int>(variables["small"]);
        Assert.IsType<long>(variables["large"]);
        Assert.IsType<double>(variables["fraction"]);
        Assert.IsType<int>(Assert.IsType<List<object?>>(variables["list"])[0]);
    }
}
