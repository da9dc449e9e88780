using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Types;

public class SdlTests
{
    private static void AssertRoundTrip(string sdl)
    {
        var printed = SchemaPrinter.Print(SchemaBuilder.FromSdl(sdl));
        Assert.Equal(sdl, printed);
    }

    [Fact]
    public void Round_trips_every_kind_of_definition()
    {
        AssertRoundTrip(""""
            """The schema"""
            schema {
              query: Root
              mutation: Changes
            }

            """Marks a field"""
            directive @tag(name: String!, weight: Int = 1) repeatable on FIELD_DEFINITION | OBJECT

            directive @described(
              """The level"""
              level: Int
            ) on QUERY

            type Root implements Node & Named {
              id: ID!
              name: String
              search(
                """What to find"""
                text: String! = "all"

                """How many"""
                first: Int = 10 @deprecated
              ): [Result!]! @deprecated(reason: "Use `find`.")
              items(filter: Filter = {kind: BOOK, tags: ["a", "b"]}): [Item]
              legacy: Int @deprecated
            }

            interface Node {
              id: ID!
            }

            interface Named implements Node {
              id: ID!
              name: String
            }

            union Result = Root | Item

            type Item implements Node {
              id: ID!
            }

            input Filter {
              kind: Kind = MUSIC
              tags: [String!]
              nested: Filter
            }

            """
            A kind
            on two lines
            """
            enum Kind {
              BOOK

              """A record"""
              MUSIC @deprecated(reason: "Vinyl only")
            }

            scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")

            input Choice @oneOf {
              a: Int
              b: String
            }

            type Changes {
              change(choice: Choice!): Boolean
            }
            """");
    }

    [Fact]
    public void Omits_the_schema_definition_for_conventional_root_names()
    {
        AssertRoundTrip("""
            type Query {
              a: Int
            }

            type Mutation {
              b: Int
            }
            """);
        var schema = SchemaBuilder.FromSdl("type Query { a: Int } type Subscription { s: Int }");
        Assert.Equal("Subscription", schema.Subscription!.Name);
        Assert.Null(schema.Mutation);
    }

    [Fact]
    public void Applies_extensions_from_the_same_document()
    {
        var schema = SchemaBuilder.FromSdl("""
            type Query { a: Int }
            interface I { i: Int }
            extend type Query implements I { i: Int }
            extend type Query @tagged
            enum E { A }
            extend enum E { B }
            union U = Query
            type Other { o: Int }
            extend union U = Other
            input In { x: Int }
            extend input In { y: Int }
            scalar S
            extend scalar S @specifiedBy(url: "https://example.com/s")
            type Mutation { m: Int }
            extend schema { subscription: Sub }
            type Sub { s: Int }
            directive @tagged on OBJECT
            """);

        var query = schema.Query!;
        Assert.Equal(["a", "i"], query.Fields.Keys);
        Assert.Equal("I", query.Interfaces.Single().Name);
        Assert.Single(query.ExtensionAstNodes.OfType<ObjectTypeExtensionNode>(), e => e.Directives.Count == 1);
        Assert.Equal(["A", "B"], ((EnumType)schema.GetType("E")!).Values.Select(v => v.Name));
        Assert.Equal(["Query", "Other"], ((UnionType)schema.GetType("U")!).Types.Select(t => t.Name));
        Assert.Equal(["x", "y"], ((InputObjectType)schema.GetType("In")!).Fields.Keys);
        Assert.Equal("https://example.com/s", ((ScalarType)schema.GetType("S")!).SpecifiedByUrl);
        Assert.Equal("Sub", schema.Subscription!.Name);
        Assert.Equal("Mutation", schema.Mutation!.Name);
        Assert.Empty(SchemaValidator.Validate(schema));
    }

    [Fact]
    public void Prints_structured_defaults_of_custom_scalars()
    {
        AssertRoundTrip("""
            scalar JSON

            type Query {
              a(config: JSON = {a: [1, "x", null], b: {c: true}}): Int
            }
            """);
        var code = new ObjectType("Query", t => t.Field(new FieldDefinition("a", ScalarType.Int,
            [new InputValueDefinition("config", new ScalarType("JSON")) { DefaultValue = new Dictionary<string, object?> { ["a"] = new List<object?> { 1, "x" } } }])));
        Assert.Contains("a(config: JSON = {a: [1, \"x\"]}): Int", SchemaPrinter.Print(new Schema(code)));
    }

    [Fact]
    public void Keeps_what_introspection_needs()
    {
        var schema = SchemaBuilder.FromSdl("""
            "Described schema" schema { query: Query }
            type Query { f(a: Int @deprecated(reason: "r")): Int }
            input I { x: Int @deprecated }
            directive @r repeatable on FIELD
            directive @skip(if: Boolean!) on FIELD
            """);
        Assert.Equal("Described schema", schema.Description);
        Assert.Equal("r", schema.Query!.Fields["f"].Arguments[0].DeprecationReason);
        Assert.Equal(DirectiveDefinition.DefaultDeprecationReason, ((InputObjectType)schema.GetType("I")!).Fields["x"].DeprecationReason);
        Assert.True(schema.GetDirective("r")!.IsRepeatable);
        // A redefined specified directive replaces it; missing ones are added.
        Assert.NotSame(DirectiveDefinition.Skip, schema.GetDirective("skip"));
        Assert.Same(DirectiveDefinition.Include, schema.GetDirective("include"));
        Assert.Same(DirectiveDefinition.OneOf, schema.GetDirective("oneOf"));
    }

    [Theory]
    [InlineData("type Query { a: Missing }", "Unknown type \"Missing\".")]
    [InlineData("type Query { a: Int } type Query { b: Int }", "There can be only one type named \"Query\".")]
    [InlineData("type Query { a: Int } extend type Nope { b: Int }", "Cannot extend type \"Nope\" because it is not defined.")]
    [InlineData("type Query { a: Int a: String }", "Field \"Query.a\" can only be defined once.")]
    [InlineData("type Query { a(x: Int, x: Int): Int }", "Argument \"Query.a(x:)\" can only be defined once.")]
    [InlineData("type Query { a: Int } input In { a: Int } extend input In { a: Int }", "Field \"In.a\" can only be defined once.")]
    [InlineData("type Query { a: Int } enum E { A A }", "Enum value \"E.A\" can only be defined once.")]
    [InlineData("type Query { a: Int } type User { a: Int } extend input User { b: Int }", "Cannot extend non-input object type \"User\".")]
    [InlineData("type Query { a: Int } interface Node { id: ID } extend union Node = Query", "Cannot extend non-union type \"Node\".")]
    [InlineData("type Query { a: Int } extend enum String { A }", "Cannot extend non-enum type \"String\".")]
    [InlineData("type Query { a: Int } directive @d on FIELD directive @d on QUERY", "There can be only one directive named \"@d\".")]
    [InlineData("type Query { a: Int } query { a }", "Only type system definitions and extensions may appear in SDL.")]
    [InlineData("schema { query: In } input In { a: Int }", "Query root type must be Object type, it cannot be In.")]
    [InlineData("type Query { a: U } union U = In input In { a: Int }", "Union type U can only include Object types, it cannot include In.")]
    [InlineData("type Query implements In { a: Int } input In { a: Int }", "Type Query must only implement Interface types, it cannot implement In.")]
    public void Rejects_sdl_that_cannot_be_built(string sdl, string message)
    {
        var error = Assert.Throws<InvalidSchemaException>(() => SchemaBuilder.FromSdl(sdl));
        Assert.Equal(message, error.Errors[0].Message);
        Assert.Equal("INVALID_SCHEMA", error.Code);
    }

    [Fact]
    public void Accepts_directives_used_as_defined()
    {
        var schema = SchemaBuilder.FromSdl("""
            directive @tag(name: String!, weight: Int = 1) repeatable on FIELD_DEFINITION | OBJECT
            directive @limit(max: Int!) on ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION
            type Query @tag(name: "root") {
              a(first: Int @limit(max: 10)): Int @tag(name: "x") @tag(name: "y", weight: 2) @deprecated(reason: "old")
            }
            extend type Query @tag(name: "more")
            input In @oneOf { b: Int @limit(max: 1) }
            """);

        Assert.Equal("old", ((ObjectType)schema.GetType("Query")!).GetField("a")!.DeprecationReason);
    }

    // graphql-js's SDL rules on directive usages: message and location of the first error.
    [Theory]
    [InlineData("type Query { a: Int @unknown }", "@unknown", "Unknown directive \"@unknown\".")]
    [InlineData("type Query @deprecated { a: Int }", "@deprecated", "Directive \"@deprecated\" may not be used on OBJECT.")]
    [InlineData("type Query { a(b: Int @oneOf): Int }", "@oneOf", "Directive \"@oneOf\" may not be used on ARGUMENT_DEFINITION.")]
    [InlineData("directive @d on FIELD_DEFINITION type Query { a: Int @d @d }", "@d @d", "The directive \"@d\" can only be used once at this location.")]
    [InlineData("directive @d on OBJECT type Query @d { a: Int } extend type Query @d", "@d {", "The directive \"@d\" can only be used once at this location.")]
    [InlineData("type Query { a: Int @deprecated(reasn: \"x\") }", "reasn", "Unknown argument \"reasn\" on directive \"@deprecated\". Did you mean \"reason\"?")]
    [InlineData("type Query { a: Int @deprecated(reason: \"x\", reason: \"y\") }", "reason", "There can be only one argument named \"reason\".")]
    [InlineData("directive @d(n: Int!) on FIELD_DEFINITION type Query { a: Int @d }", "@d }", "Argument \"@d(n:)\" of type \"Int!\" is required, but it was not provided.")]
    [InlineData("type Query { a: Int @deprecated(reason: 1) }", "1)", "String cannot represent a non string value: 1")]
    [InlineData("directive @d(n: Int!) on FIELD_DEFINITION type Query { a: Int @d(n: null) }", "null", "Expected value of non-null type \"Int!\" not to be null.")]
    public void Rejects_directives_used_against_their_definition(string sdl, string at, string message)
    {
        var error = Assert.Throws<InvalidSchemaException>(() => SchemaBuilder.FromSdl(sdl));

        Assert.Equal(message, error.Errors[0].Message);
        Assert.Equal(new SourceLocation(1, sdl.IndexOf(at, StringComparison.Ordinal) + 1), error.Errors[0].Locations[0]);
        Assert.Equal("INVALID_SCHEMA", error.Code);
    }
}
