using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

// Mirrors graphql-js's abstract-test and union-interface-test.
public class AbstractTypeTests
{
    private sealed record Dog(string Name, bool Barks);
    private sealed record Cat(string Name, bool Meows);
    private sealed record Human(string Name);

    private static Schema PetSchema(bool useIsTypeOf, Func<object, ObjectType?>? resolveType = null)
    {
        var pet = (InterfaceType)null!;
        var dog = new ObjectType("Dog", t => t.Implements(pet!).Field("name", ScalarType.String).Field("barks", ScalarType.Boolean))
        {
            IsTypeOf = useIsTypeOf ? (value, _) => value is Dog : null,
        };
        var cat = new ObjectType("Cat", t => t.Implements(pet!).Field("name", ScalarType.String).Field("meows", ScalarType.Boolean))
        {
            IsTypeOf = useIsTypeOf ? (value, _) => value is Cat : null,
        };
        pet = new InterfaceType("Pet", t => t.Field("name", ScalarType.String))
        {
            ResolveType = resolveType is null ? null : (value, _) => resolveType(value),
        };
        var query = new ObjectType("Query", t => t
            .Field("pets", pet.List(), _ => new object[] { new Dog("Odie", true), new Cat("Garfield", false) })
            .Field("stray", pet, _ => new Human("Jon")));
        return new Schema(query, types: [dog, cat]).AssertValid();
    }

    private const string PetsQuery = "{ pets { __typename name ... on Dog { barks } ... on Cat { meows } } }";
    private const string PetsData = """{"data":{"pets":[{"__typename":"Dog","name":"Odie","barks":true},{"__typename":"Cat","name":"Garfield","meows":false}]}}""";

    [Fact]
    public async Task Interface_resolved_with_IsTypeOf()
    {
        AssertJson(PetsData, await Json(PetSchema(useIsTypeOf: true), PetsQuery));
    }

    [Fact]
    public async Task Interface_resolved_with_ResolveType()
    {
        Schema schema = null!;
        schema = PetSchema(false, value => (ObjectType)schema.GetType(value is Dog ? "Dog" : "Cat")!);

        AssertJson(PetsData, await Json(schema, PetsQuery));
    }

    [Fact]
    public async Task Union_members_resolved_by_typename_entry()
    {
        var schema = SchemaBuilder.FromSdl("""
            type Query { things: [Thing] }
            union Thing = Book | Film
            type Book { title: String }
            type Film { title: String minutes: Int }
            """);
        var root = new Dictionary<string, object?>
        {
            ["things"] = new object[]
            {
                new Dictionary<string, object?> { ["__typename"] = "Film", ["title"] = "Alien", ["minutes"] = 117 },
                new Dictionary<string, object?> { ["__typename"] = "Book", ["title"] = "Dune" },
            },
        };

        var json = await Json(schema, "{ things { __typename ... on Book { title } ... on Film { title minutes } } }", root: root);

        AssertJson("""{"data":{"things":[{"__typename":"Film","title":"Alien","minutes":117},{"__typename":"Book","title":"Dune"}]}}""", json);
    }

    [Fact]
    public async Task Fragment_on_an_interface_applies_to_its_implementations()
    {
        var json = await Json(PetSchema(useIsTypeOf: true), "{ pets { ...Named } } fragment Named on Pet { name }");

        AssertJson("""{"data":{"pets":[{"name":"Odie"},{"name":"Garfield"}]}}""", json);
    }

    [Fact]
    public async Task Unresolvable_value_is_a_field_error()
    {
        var json = await Json(PetSchema(useIsTypeOf: true), "{ stray { name } }");

        AssertJson("""
            {"errors":[{"message":"Abstract type \"Pet\" must resolve to an Object type at runtime for field \"Query.stray\". Either the \"Pet\" type should provide a \"resolveType\" function or each possible type should provide an \"isTypeOf\" function.",
              "locations":[{"line":1,"column":3}],"path":["stray"],"extensions":{"code":"INVALID_FIELD_RESULT"}}],
             "data":{"stray":null}}
            """, json);
    }

    [Fact]
    public async Task Resolving_to_a_type_that_is_not_possible_is_a_field_error()
    {
        Schema schema = null!;
        schema = PetSchema(false, _ => (ObjectType)schema.GetType("Query")!);

        var json = await Json(schema, "{ stray { name } }");

        AssertJson("""
            {"errors":[{"message":"Runtime Object type \"Query\" is not a possible type for \"Pet\".","locations":[{"line":1,"column":3}],"path":["stray"],"extensions":{"code":"INVALID_FIELD_RESULT"}}],
             "data":{"stray":null}}
            """, json);
    }

    [Fact]
    public async Task IsTypeOf_rejecting_an_object_value_is_a_field_error()
    {
        var dog = new ObjectType("Dog", t => t.Field("name", ScalarType.String)) { IsTypeOf = (value, _) => value is Dog };
        var query = new ObjectType("Query", t => t.Field("dog", dog, _ => new Cat("Tom", true)));

        var json = await Json(new Schema(query), "{ dog { name } }");

        AssertJson("""
            {"errors":[{"message":"Expected value of type \"Dog\" but got: Cat { Name = Tom, Meows = True }.","locations":[{"line":1,"column":3}],"path":["dog"],"extensions":{"code":"INVALID_FIELD_RESULT"}}],
             "data":{"dog":null}}
            """, json);
    }
}
