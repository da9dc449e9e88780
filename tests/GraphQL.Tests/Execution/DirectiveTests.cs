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
}
