using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

// Mirrors graphql-js's directives-test: @skip and @include on fields, fragment spreads and inline fragments.
public class DirectiveTests
{
    private static readonly Schema Schema = new(new ObjectType("TestType", t => t
        .Field("a", ScalarType.String, _ => "a")
        .Field("b", ScalarType.String, _ => "b")));

    [Theory]
    [InlineData("{ a, b @include(if: true) }", """{"a":"a","b":"b"}""")]
    [InlineData("{ a, b @include(if: false) }", """{"a":"a"}""")]
    [InlineData("{ a, b @skip(if: false) }", """{"a":"a","b":"b"}""")]
    [InlineData("{ a, b @skip(if: true) }", """{"a":"a"}""")]
    [InlineData("{ a, b @include(if: true) @skip(if: true) }", """{"a":"a"}""")]
    [InlineData("{ a, b @include(if: false) @skip(if: false) }", """{"a":"a"}""")]
    [InlineData("{ a ...F @skip(if: true) } fragment F on TestType { b }", """{"a":"a"}""")]
    [InlineData("{ a ...F @include(if: true) } fragment F on TestType { b }", """{"a":"a","b":"b"}""")]
    [InlineData("{ a ... on TestType @skip(if: true) { b } }", """{"a":"a"}""")]
    [InlineData("{ a ... @include(if: false) { b } }", """{"a":"a"}""")]
    [InlineData("{ a ... @include(if: true) { b } }", """{"a":"a","b":"b"}""")]
    public async Task Skip_and_include(string document, string data)
    {
        AssertJson($$"""{"data":{{data}}}""", await Json(Schema, document));
    }

    [Fact]
    public async Task Conditions_may_come_from_variables()
    {
        AssertJson("""{"data":{"a":"a"}}""", await Json(Schema, "query($s: Boolean!) { a b @skip(if: $s) }", """{"s":true}"""));
        AssertJson("""{"data":{"a":"a","b":"b"}}""", await Json(Schema, "query($s: Boolean!) { a b @skip(if: $s) }", """{"s":false}"""));
    }

    [Fact]
    public async Task A_skipped_field_is_not_resolved()
    {
        var resolved = false;
        var schema = new Schema(new ObjectType("Query", t => t
            .Field("a", ScalarType.String, _ => "a")
            .Field("side", ScalarType.String, _ => { resolved = true; return "x"; })));

        await Json(schema, "{ a side @skip(if: true) }");

        Assert.False(resolved);
    }

    [Fact]
    public async Task A_reused_document_follows_each_request_s_variables()
    {
        var query = new ObjectType("Query", t => t
            .Field("a", ScalarType.String, _ => "a")
            .Field("echo", ScalarType.String, c => c.Argument<string>("text"), arguments: [new("text", ScalarType.String)])
            .Field("child", new ObjectType("Child", c => c.Field("b", ScalarType.String, _ => "b")), _ => new object()));
        var schema = new Schema(query);
        var document = Records.GraphQL.Language.Parser.Parse(
            "query($s: Boolean!, $t: String) { a child { b @skip(if: $s) } echo(text: $t) fixed: echo(text: \"x\") }");

        async Task<string> With(string variables) => await Json(new Records.GraphQL.Execution.ExecutionRequest
        {
            Schema = schema,
            Document = document,
            DocumentIsReused = true,
            Variables = Records.GraphQL.Execution.ExecutionRequest.VariablesFromJson(System.Text.Json.JsonDocument.Parse(variables).RootElement),
        });

        AssertJson("""{"data":{"a":"a","child":{},"echo":"one","fixed":"x"}}""", await With("""{"s":true,"t":"one"}"""));
        AssertJson("""{"data":{"a":"a","child":{"b":"b"},"echo":"two","fixed":"x"}}""", await With("""{"s":false,"t":"two"}"""));
        AssertJson("""{"data":{"a":"a","child":{},"echo":"three","fixed":"x"}}""", await With("""{"s":true,"t":"three"}"""));
    }

    [Fact]
    public async Task An_unusable_root_condition_is_a_request_error()
    {
        var json = await Json(Schema, "query($s: Boolean) { a @skip(if: $s) }");

        AssertJson("""
            {"errors":[{"message":"Argument \"if\" of required type \"Boolean!\" was provided the variable \"$s\" which was not provided a runtime value.",
              "locations":[{"line":1,"column":34}],"extensions":{"code":"BAD_USER_INPUT"}}]}
            """, json);
    }
}
