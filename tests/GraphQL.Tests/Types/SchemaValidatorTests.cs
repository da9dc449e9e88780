using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Types;

public class SchemaValidatorTests
{
    private static IReadOnlyList<string> Errors(string sdl) =>
        SchemaValidator.Validate(SchemaBuilder.FromSdl(sdl)).Select(e => e.Message).ToList();

    [Theory]
    [InlineData("type Query { a: Int }")]
    [InlineData("type Query { a: I } interface I { a(x: Int): I } type T implements I { a(x: Int, y: Int): T }")]
    [InlineData("type Query { a: J } interface I { a: Int } interface J implements I { a: Int } type T implements J & I { a: Int }")]
    [InlineData("type Query { a(i: In): Int } input In { a: In, b: [In!]! }")]
    [InlineData("type Query { a(i: In): Int } input In @oneOf { a: Int, b: String }")]
    [InlineData("type Query { a: [I!]! } interface I { a: [I] } type T implements I { a: [T!]! }")]
    public void Accepts_valid_schemas(string sdl)
    {
        Assert.Empty(Errors(sdl));
    }

    [Theory]
    [InlineData("type Mutation { a: Int }", "Query root type must be provided.")]
    [InlineData("type Query { __a: Int }", "Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection.")]
    [InlineData("type Query { a: Int } type Empty", "Type Empty must define one or more fields.")]
    [InlineData("type Query { a: Int } interface Empty", "Type Empty must define one or more fields.")]
    [InlineData("type Query { a: Int } enum Empty", "Enum type Empty must define one or more values.")]
    [InlineData("type Query { a: Int } input Empty", "Input Object type Empty must define one or more fields.")]
    [InlineData("type Query { a: Int } union Empty", "Union type Empty must define one or more member types.")]
    [InlineData("type Query { a: U } union U = Query | Query", "Union type U can only include type Query once.")]
    [InlineData("type Query { a: In } input In { a: Int }", "The type of Query.a must be Output Type but got: In.")]
    [InlineData("type Query { a(x: Query): Int }", "The type of Query.a(x:) must be Input Type but got: Query.")]
    [InlineData("type Query { a(x: In): Int } input In { q: Query }", "The type of In.q must be Input Type but got: Query.")]
    [InlineData("type Query { a(x: Int! @deprecated): Int }", "Required argument Query.a(x:) cannot be deprecated.")]
    [InlineData("type Query { a(x: In): Int } input In { q: Int! @deprecated }", "Required input field In.q cannot be deprecated.")]
    [InlineData("type Query implements I { b: Int } interface I { a: Int }", "Interface field I.a expected but Query does not provide it.")]
    [InlineData("type Query implements I { a: String } interface I { a: Int }", "Interface field I.a expects type Int but Query.a is type String.")]
    [InlineData("type Query implements I { a: Int } interface I { a: Int! }", "Interface field I.a expects type Int! but Query.a is type Int.")]
    [InlineData("type Query implements I { a: Int } interface I { a(x: Int): Int }", "Interface field argument I.a(x:) expected but Query.a does not provide it.")]
    [InlineData("type Query implements I { a(x: Int!): Int } interface I { a(x: Int): Int }", "Interface field argument I.a(x:) expects type Int but Query.a(x:) is type Int!.")]
    [InlineData("type Query implements I { a(x: Int, y: Int!): Int } interface I { a(x: Int): Int }", "Object field argument Query.a(y:) is of required type Int! but is not also provided by the Interface field I.a.")]
    [InlineData("type Query implements J { a: Int } interface J implements I { a: Int } interface I { a: Int }", "Type Query must implement I because it is implemented by J.")]
    [InlineData("type Query implements I & I { a: Int } interface I { a: Int }", "Type Query can only implement I once.")]
    [InlineData("type Query { a: I } interface I implements I { a: Int }", "Type I cannot implement itself because it would create a circular reference.")]
    [InlineData("type Query { a: I } interface I implements J { a: Int } interface J implements I { a: Int }", "Type I cannot implement J because it would create a circular reference.")]
    [InlineData("type Query { a(i: In): Int } input In { self: In! }", "Cannot reference Input Object \"In\" within itself through a series of non-null fields: \"self\".")]
    [InlineData("type Query { a(i: A): Int } input A { b: B! } input B { a: A! }", "Cannot reference Input Object \"A\" within itself through a series of non-null fields: \"b.a\".")]
    [InlineData("type Query { a(i: In): Int } input In @oneOf { a: Int! b: Int }", "OneOf input field In.a must be nullable.")]
    [InlineData("type Query { a(i: In): Int } input In @oneOf { a: Int = 1 b: Int }", "OneOf input field In.a cannot have a default value.")]
    [InlineData("type Query { a: Int } directive @d(x: Int, x: Int) on FIELD", "Argument \"@d(x:)\" can only be defined once.")]
    [InlineData("type Query { a: Int } directive @d(x: Query) on FIELD", "The type of @d(x:) must be Input Type but got: Query.")]
    [InlineData("type Query { a: Int } directive @d(x: Int! @deprecated) on FIELD", "Required argument @d(x:) cannot be deprecated.")]
    [InlineData("schema { query: Query mutation: Query } type Query { a: Int }", "All root types must be different, \"Query\" type is used as query and mutation root types.")]
    public void Reports_broken_rules_as_graphql_js_words_them(string sdl, string message)
    {
        Assert.Contains(message, Errors(sdl));
    }

    [Fact]
    public void Reports_every_error_with_locations()
    {
        var schema = SchemaBuilder.FromSdl("type Query { a: Int }\ninterface I { a: Int }\ntype T implements I { b: Int }\nenum E");
        var errors = SchemaValidator.Validate(schema);
        Assert.Equal(2, errors.Count);
        Assert.Equal([new SourceLocation(2, 15), new SourceLocation(3, 1)], errors[0].Locations);
        var exception = Assert.Throws<InvalidSchemaException>(() => schema.AssertValid());
        Assert.Equal(errors.Count, exception.Errors.Count);
    }

    [Fact]
    public void Reports_duplicate_arguments_of_code_first_fields()
    {
        var query = new ObjectType("Query", t => t.Field(new FieldDefinition("a", ScalarType.Int,
            [new InputValueDefinition("x", ScalarType.Int), new InputValueDefinition("x", ScalarType.String)])));
        Assert.Equal(["Argument \"Query.a(x:)\" can only be defined once."], SchemaValidator.Validate(new Schema(query)).Select(e => e.Message));
    }

    [Fact]
    public void Checks_names_of_code_first_types()
    {
        var query = new ObjectType("Query", t => t.Field("bad-name", ScalarType.Int).Field("1st", ScalarType.Int));
        var errors = SchemaValidator.Validate(new Schema(query)).Select(e => e.Message);
        Assert.Equal(["Names must only contain [_a-zA-Z0-9] but \"bad-name\" does not.", "Names must start with [_a-zA-Z] but \"1st\" does not."], errors);
    }

    [Theory]
    [InlineData("type Query { a(x: Int = 1, l: [Int] = 2, i: In = {a: 1}, e: E = A): Int } input In { a: Int!, b: [E!] = [A] } enum E { A }")]
    [InlineData("directive @d(n: Int = 1, o: O = {b: \"x\"}) on FIELD type Query { a: Int } input O @oneOf { a: Int, b: String }")]
    public void Accepts_default_values_that_coerce(string sdl)
    {
        Assert.Empty(Errors(sdl));
    }

    // Expected messages and columns are graphql-js 17's validateSchema output for the same SDL, except that our
    // Printer writes object literals as graphql-js 16 did ("{a: 1}" where 17 writes "{ a: 1 }").
    [Theory]
    [InlineData("type Query { a(x: Int = \"abc\"): Int }", "Query.a(x:) has invalid default value: Int cannot represent non-integer value: \"abc\"", 25)]
    [InlineData("type Query { a(x: [Int!] = [1, null]): Int }", "Query.a(x:) has invalid default value at [1]: Expected value of non-null type \"Int!\" not to be null.", 32)]
    [InlineData("type Query { a(x: In = {b: 1}): Int } input In { a: Int!, b: Int }", "Query.a(x:) has invalid default value: Expected value of type \"In\" to include required field \"a\", found: {b: 1}.", 24)]
    [InlineData("type Query { a(x: In = {a: 1, c: 2}): Int } input In { a: Int, ab: Int }", "Query.a(x:) has invalid default value: Expected value of type \"In\" not to include unknown field \"c\". Did you mean \"a\"? Found: {a: 1, c: 2}.", 31)]
    [InlineData("type Query { a: Int } input In { e: E = \"A\" } enum E { A }", "In.e has invalid default value: Enum \"E\" cannot represent non-enum value: \"A\". Did you mean the enum value \"A\"?", 41)]
    [InlineData("directive @d(n: Int = 1.5) on FIELD type Query { a: Int }", "@d(n:) has invalid default value: Int cannot represent non-integer value: 1.5", 23)]
    [InlineData("type Query { a(x: O = {}): Int } input O @oneOf { a: Int, b: Int }", "Query.a(x:) has invalid default value: Within OneOf Input Object type \"O\", exactly one field must be specified, and the value for that field must be non-null.", 23)]
    public void Rejects_default_values_written_in_sdl_that_do_not_coerce(string sdl, string message, int column)
    {
        var error = Assert.Single(SchemaValidator.Validate(SchemaBuilder.FromSdl(sdl)));

        Assert.Equal(message, error.Message);
        Assert.Equal(new SourceLocation(1, column), error.Locations[0]);
    }

    [Fact]
    public void Checks_code_first_defaults_as_coerced_values()
    {
        var status = new EnumType("Status", [new EnumValueDefinition("OPEN", 1)]);
        var filter = new InputObjectType("Filter", f => f
            .Field(new InputValueDefinition("status", status) { DefaultValue = 1 })
            .Field(new InputValueDefinition("limit", ScalarType.Int) { DefaultValue = "ten" }));
        var query = new ObjectType("Query", t => t.Field("a", ScalarType.Int,
            arguments: [new("f", filter) { DefaultValue = new Dictionary<string, object?> { ["limit"] = 5 } },
                        new("s", status) { DefaultValue = 2 }]));

        var errors = SchemaValidator.Validate(new Schema(query)).Select(e => e.Message);

        Assert.Equal(
        [
            "Query.a(s:) has invalid default value: Enum \"Status\" cannot represent value: 2",
            "Filter.limit has invalid default value: Int cannot represent non-integer value: \"ten\"",
        ], errors);
    }
}
