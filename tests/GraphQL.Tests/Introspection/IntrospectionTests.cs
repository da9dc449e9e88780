using Records.GraphQL.Execution;
using Records.GraphQL.Language;
using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Introspection;

public class IntrospectionTests
{
    private static readonly Schema Schema = SchemaBuilder.FromSdl(GraphQLJsConformanceTests.Sdl);

    [Fact]
    public async Task Type_lookup_by_name_with_wrapping_types()
    {
        var json = await Json(Schema, """
            { __type(name: "User") { kind name interfaces { name } fields { name type { kind name ofType { kind name ofType { kind name ofType { name } } } } } } }
            """);

        var user = System.Text.Json.Nodes.JsonNode.Parse(json)!["data"]!["__type"]!;
        Assert.Equal("OBJECT", (string)user["kind"]!);
        Assert.Equal(["Entity", "Node"], user["interfaces"]!.AsArray().Select(i => (string)i!["name"]!));
        Assert.Equal(["id", "createdAt", "name", "friends", "settings"], user["fields"]!.AsArray().Select(f => (string)f!["name"]!));
        AssertJson("""{"kind":"NON_NULL","name":null,"ofType":{"kind":"LIST","name":null,"ofType":{"kind":"NON_NULL","name":null,"ofType":{"name":"User"}}}}""",
            user["fields"]![3]!["type"]!.ToJsonString());
    }

    [Fact]
    public async Task Deprecated_members_appear_only_when_asked_for()
    {
        var json = await Json(Schema, """
            {
              scope: __type(name: "Scope") { enumValues { name } all: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } }
              filter: __type(name: "UserFilter") { inputFields { name } all: inputFields(includeDeprecated: true) { name deprecationReason } }
              user: __type(name: "User") { fields(includeDeprecated: true) { name isDeprecated args { name } allArgs: args(includeDeprecated: true) { name isDeprecated } } }
            }
            """);

        var data = System.Text.Json.Nodes.JsonNode.Parse(json)!["data"]!;
        Assert.Equal(["PUBLIC", "PRIVATE"], data["scope"]!["enumValues"]!.AsArray().Select(v => (string)v!["name"]!));
        AssertJson("""{"name":"LEGACY","isDeprecated":true,"deprecationReason":"No longer supported"}""", data["scope"]!["all"]![2]!.ToJsonString());
        Assert.Equal(["nameContains", "scopes", "ageRange", "nested"], data["filter"]!["inputFields"]!.AsArray().Select(v => (string)v!["name"]!));
        AssertJson("""{"name":"minAge","deprecationReason":"Use ageRange."}""", data["filter"]!["all"]![2]!.ToJsonString());
        var name = data["user"]!["fields"]![2]!;
        Assert.Equal(["upper"], name["args"]!.AsArray().Select(a => (string)a!["name"]!));
        Assert.Equal(["upper", "style"], name["allArgs"]!.AsArray().Select(a => (string)a!["name"]!));
        Assert.Equal(7, data["user"]!["fields"]!.AsArray().Count);
    }

    [Fact]
    public async Task Scalars_input_objects_and_directives_describe_themselves()
    {
        var json = await Json(Schema, """
            {
              __schema { description queryType { name } subscriptionType { name } }
              dateTime: __type(name: "DateTime") { kind specifiedByURL isOneOf }
              key: __type(name: "UserKey") { kind isOneOf inputFields { name type { name } defaultValue } }
              search: __type(name: "SearchResult") { possibleTypes { name } }
              entity: __type(name: "Entity") { possibleTypes { name } interfaces { name } }
              missing: __type(name: "Nope") { name }
            }
            """);

        AssertJson("""
            {"data":{
              "__schema":{"description":"The schema of the conformance test: every kind of type.","queryType":{"name":"Query"},"subscriptionType":{"name":"Subscription"}},
              "dateTime":{"kind":"SCALAR","specifiedByURL":"https://tools.ietf.org/html/rfc3339","isOneOf":null},
              "key":{"kind":"INPUT_OBJECT","isOneOf":true,"inputFields":[{"name":"id","type":{"name":"ID"},"defaultValue":null},{"name":"email","type":{"name":"String"},"defaultValue":null}]},
              "search":{"possibleTypes":[{"name":"User"},{"name":"Post"}]},
              "entity":{"possibleTypes":[{"name":"User"},{"name":"Post"}],"interfaces":[{"name":"Node"}]},
              "missing":null}}
            """, json);
    }

    [Fact]
    public async Task Directive_definitions_with_repeatable_locations_and_defaults()
    {
        var json = await Json(Schema, "{ __schema { directives { name isRepeatable locations args { name defaultValue } } } }");

        var cached = System.Text.Json.Nodes.JsonNode.Parse(json)!["data"]!["__schema"]!["directives"]![0]!;
        AssertJson("""
            {"name":"cached","isRepeatable":true,"locations":["FIELD_DEFINITION","OBJECT","INTERFACE"],
             "args":[{"name":"maxAge","defaultValue":"60"},{"name":"scopes","defaultValue":"[PUBLIC]"}]}
            """, cached.ToJsonString());
    }

    [Fact]
    public async Task Introspection_types_are_listed_and_can_be_looked_up()
    {
        var json = await Json(Schema, """{ __schema { types { name } } t: __type(name: "__Type") { fields { name } } k: __type(name: "__TypeKind") { enumValues { name } } }""");

        var data = System.Text.Json.Nodes.JsonNode.Parse(json)!["data"]!;
        var names = data["__schema"]!["types"]!.AsArray().Select(t => (string)t!["name"]!).ToArray();
        Assert.Contains("__Schema", names);
        Assert.Contains("__DirectiveLocation", names);
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Equal(["kind", "name", "description", "specifiedByURL", "fields", "interfaces", "possibleTypes", "enumValues", "inputFields", "ofType", "isOneOf"],
            data["t"]!["fields"]!.AsArray().Select(f => (string)f!["name"]!));
        Assert.Equal(8, data["k"]!["enumValues"]!.AsArray().Count);
    }

    [Fact]
    public async Task Code_first_defaults_print_as_literals()
    {
        var query = new ObjectType("Query", t => t.Field("f", ScalarType.String, _ => "x",
            arguments: [new("limit", ScalarType.Int) { DefaultValue = 5 }, new("tags", ScalarType.String.List()) { DefaultValue = new List<object?> { "a" } }]));

        var json = await Json(new Schema(query), """{ __type(name: "Query") { fields { args { name defaultValue } } } }""");

        AssertJson("""{"data":{"__type":{"fields":[{"args":[{"name":"limit","defaultValue":"5"},{"name":"tags","defaultValue":"[\"a\"]"}]}]}}}""", json);
    }

    [Fact]
    public async Task Switched_off_introspection_refuses_schema_and_type_but_not_typename()
    {
        ExecutionRequest Without(string document) => new()
        {
            Schema = Schema,
            Document = Parser.Parse(document),
            AllowIntrospection = false,
            RootValue = new Dictionary<string, object?> { ["pi"] = 3.14 },
        };

        AssertJson("""{"data":{"__typename":"Query","pi":3.14}}""", await Json(Without("{ __typename pi }")));
        AssertJson("""
            {"errors":[{"message":"GraphQL introspection is not allowed for this request.","locations":[{"line":1,"column":3}],"path":["__schema"],"extensions":{"code":"INTROSPECTION_DISABLED"}}],
             "data":null}
            """, await Json(Without("{ __schema { queryType { name } } pi }")));
        AssertJson("""
            {"errors":[{"message":"GraphQL introspection is not allowed for this request.","locations":[{"line":1,"column":3}],"path":["__type"],"extensions":{"code":"INTROSPECTION_DISABLED"}}],
             "data":{"__type":null}}
            """, await Json(Without("""{ __type(name: "User") { name } }""")));
    }
}
