using System.Text.Json;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Types;

// Every schema and query of the shared graphql-js validation cases must build and parse.
public class ConformanceCorpusTests
{
    private sealed record Case(int Id, string Schema, string Query);

    private static IReadOnlyList<Case> LoadCases()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Records.sln"))) directory = directory.Parent;
        Assert.NotNull(directory);
        var path = Path.Combine(directory.FullName, "..", "shared", "conformance", "graphql", "validation-cases.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.EnumerateArray()
            .Select(c => new Case(c.GetProperty("id").GetInt32(), c.GetProperty("schema").GetString()!, c.GetProperty("query").GetString()!))
            .ToList();
    }

    [Fact]
    public void Builds_every_schema_and_parses_every_query()
    {
        var cases = LoadCases();
        Assert.True(cases.Count > 200);
        foreach (var schemaText in cases.Select(c => c.Schema).Distinct())
        {
            var schema = SchemaBuilder.FromSdl(schemaText);
            Assert.Empty(SchemaValidator.Validate(schema));
            // Printing and rebuilding gives the same SDL: the printer loses nothing the builder reads.
            var printed = SchemaPrinter.Print(schema);
            Assert.Equal(printed, SchemaPrinter.Print(SchemaBuilder.FromSdl(printed)));
        }
        foreach (var c in cases)
        {
            var document = Parser.Parse(c.Query);
            Assert.Equal(Printer.Print(document), Printer.Print(Parser.Parse(Printer.Print(document))));
        }
    }
}
