using Records.GraphQL.Language;

namespace Records.GraphQL.Tests.Execution;

public class GraphQLErrorTests
{
    [Fact]
    public void Serializes_in_the_response_shape()
    {
        var error = new GraphQLError("Boom.", "SOME_CODE", [new SourceLocation(2, 5)], ["hero", 0, "name"],
            new Dictionary<string, object?> { ["limit"] = 3 });

        Assert.Equal(
            """{"message":"Boom.","locations":[{"line":2,"column":5}],"path":["hero",0,"name"],"extensions":{"code":"SOME_CODE","limit":3}}""",
            error.ToJson());
    }

    [Fact]
    public void Leaves_out_empty_locations_and_missing_path()
    {
        var error = new GraphQLError("Request failed.", "BAD_REQUEST");

        Assert.Equal("""{"message":"Request failed.","extensions":{"code":"BAD_REQUEST"}}""", error.ToJson());
        Assert.Equal("BAD_REQUEST", error.Code);
    }

    [Fact]
    public void Takes_locations_from_nodes()
    {
        var document = Parser.Parse("{\n  a\n  b }");
        var selections = ((OperationDefinitionNode)document.Definitions[0]).SelectionSet.Selections;

        var error = new GraphQLError("Two fields.", "X", [selections[0], null, selections[1]]);

        Assert.Equal([new SourceLocation(2, 3), new SourceLocation(3, 3)], error.Locations);
    }
}
