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
}
