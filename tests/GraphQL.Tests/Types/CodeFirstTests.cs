using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Types;

public class CodeFirstTests
{
    private enum Episode
    {
        NewHope,
        Empire,
        [Obsolete("Not canon")]
        HolidaySpecial,
    }

    private sealed record Human(string Id, string Name);

    private sealed record Droid(string Id, string PrimaryFunction);

    private sealed record ReviewInput(int Stars, string? Commentary);

    private static Schema BuildStarWars()
    {
        var episode = EnumType.FromEnum<Episode>();
        InterfaceType? character = null;
        var human = new ObjectType("Human", t => t
            .Implements(character!)
            .Field("id", ScalarType.ID.NonNull(), ctx => ((Human)ctx.Source!).Id)
            .Field("name", ScalarType.String, ctx => ((Human)ctx.Source!).Name), "A person");
        var droid = new ObjectType("Droid", t => t
            .Implements(character!)
            .Field("id", ScalarType.ID.NonNull(), ctx => ((Droid)ctx.Source!).Id)
            .Field("primaryFunction", ScalarType.String, deprecationReason: "Ask the droid"));
        character = new InterfaceType("Character", t => t.Field("id", ScalarType.ID.NonNull()))
        {
            ResolveType = (value, _) => value is Human ? human : droid,
        };
        var searchResult = new UnionType("SearchResult", [human, droid]) { ResolveType = (value, _) => value is Human ? human : droid };
        var review = new InputObjectType("ReviewInput", f => f
            .Field("stars", ScalarType.Int.NonNull())
            .Field("commentary", ScalarType.String));
        var query = new ObjectType("Query", t => t
            .Field("hero", character, async ctx =>
            {
                await Task.Yield();
                return ctx.Argument<Episode>("episode") == Episode.Empire ? new Human("1000", "Luke") : new Droid("2001", "Astromech");
            }, [new InputValueDefinition("episode", episode) { DefaultValue = Episode.NewHope, Description = "Which film" }])
            .Field("search", searchResult.NonNull().List(), ctx => Array.Empty<object>(), [new("text", ScalarType.String.NonNull())]));
        var mutation = new ObjectType("Mutation", t => t
            .Field("createReview", ScalarType.Int, ctx => ctx.Argument<ReviewInput>("review")!.Stars,
                [new("review", review.NonNull()), new("episode", episode)]));
        return new Schema(query, mutation, types: [human, droid]);
    }

    private static ResolveContext Context(Schema schema, string fieldName, Dictionary<string, object?> arguments, ObjectType? parent = null)
    {
        parent ??= schema.Query!;
        return new ResolveContext(null, arguments, parent.Fields[fieldName], parent, schema,
            new ResponsePath(null, fieldName), new Dictionary<string, object?>());
    }

    [Fact]
    public void Builds_a_valid_schema_with_cycles_between_types()
    {
        var schema = BuildStarWars().AssertValid();
        Assert.Same(schema.GetType("Human"), schema.GetPossibleTypes((InterfaceType)schema.GetType("Character")!)[0]);
        Assert.True(schema.IsSubType((UnionType)schema.GetType("SearchResult")!, (ObjectType)schema.GetType("Droid")!));
        Assert.Equal(["ID", "String"], ((ObjectType)schema.GetType("Human")!).Fields.Values.Select(f => f.Type.Named.Name));
    }

    [Fact]
    public async Task Resolvers_read_typed_arguments()
    {
        var schema = BuildStarWars();
        var hero = schema.Query!.Fields["hero"].Resolve!;
        Assert.IsType<Human>(await hero(Context(schema, "hero", new() { ["episode"] = Episode.Empire })));
        Assert.IsType<Droid>(await hero(Context(schema, "hero", new() { ["episode"] = "NEW_HOPE" })));

        var create = schema.Mutation!.Fields["createReview"].Resolve!;
        var review = new Dictionary<string, object?> { ["stars"] = 5, ["commentary"] = null };
        Assert.Equal(5, await create(Context(schema, "createReview", new() { ["review"] = review }, schema.Mutation)));

        var context = Context(schema, "hero", new() { ["count"] = 3L, ["bad"] = "x" });
        Assert.Equal(3, context.Argument<int>("count"));
        Assert.Null(context.Argument<string>("absent"));
        Assert.Throws<CoercionException>(() => context.Argument<int>("bad"));
    }

    [Fact]
    public void Maps_csharp_enums_with_deprecation()
    {
        var episode = EnumType.FromEnum<Episode>();
        Assert.Equal(["NEW_HOPE", "EMPIRE", "HOLIDAY_SPECIAL"], episode.Values.Select(v => v.Name));
        Assert.Equal("Not canon", episode.GetValue("HOLIDAY_SPECIAL")!.DeprecationReason);
        Assert.Equal("EMPIRE", episode.Serialize(Episode.Empire));
        Assert.Equal(Episode.Empire, episode.ParseLiteral(new EnumValueNode("EMPIRE")));
        Assert.Equal("Value \"JEDI\" does not exist in \"Episode\" enum.",
            Assert.Throws<CoercionException>(() => episode.ParseValue("JEDI")).Message);
        Assert.Throws<CoercionException>(() => episode.Serialize(42));
    }

    [Fact]
    public void Prints_a_code_first_schema_like_graphql_js()
    {
        // Without the "types" list, types are collected depth-first from the roots, as graphql-js does.
        var starWars = BuildStarWars();
        Assert.Equal(""""
            type Query {
              hero(
                """Which film"""
                episode: Episode = NEW_HOPE
              ): Character
              search(text: String!): [SearchResult!]
            }

            interface Character {
              id: ID!
            }

            enum Episode {
              NEW_HOPE
              EMPIRE
              HOLIDAY_SPECIAL @deprecated(reason: "Not canon")
            }

            union SearchResult = Human | Droid

            """A person"""
            type Human implements Character {
              id: ID!
              name: String
            }

            type Droid implements Character {
              id: ID!
              primaryFunction: String @deprecated(reason: "Ask the droid")
            }

            type Mutation {
              createReview(review: ReviewInput!, episode: Episode): Int
            }

            input ReviewInput {
              stars: Int!
              commentary: String
            }
            """", SchemaPrinter.Print(new Schema(starWars.Query, starWars.Mutation)));
    }

    [Fact]
    public void Rejects_duplicate_fields_and_same_named_types()
    {
        var duplicate = new ObjectType("Q", t => t.Field("a", ScalarType.Int).Field("a", ScalarType.Int));
        Assert.Equal("Field \"Q.a\" can only be defined once. (Parameter 'field')",
            Assert.Throws<ArgumentException>(() => duplicate.Fields).Message);

        var one = new ObjectType("T", t => t.Field("a", ScalarType.Int));
        var other = new ObjectType("T", t => t.Field("a", ScalarType.Int));
        var query = new ObjectType("Query", t => t.Field("one", one).Field("other", other));
        var error = Assert.Throws<InvalidSchemaException>(() => new Schema(query));
        Assert.Equal("Schema must contain uniquely named types but contains multiple types named \"T\".", error.Message);
        Assert.Throws<ArgumentException>(() => ScalarType.Int.NonNull().NonNull());
    }
}
