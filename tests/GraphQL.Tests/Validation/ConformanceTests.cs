using System.Collections.Concurrent;
using System.Text.Json;
using Records.GraphQL.Language;
using Records.GraphQL.Types;
using Records.GraphQL.Validation;

namespace Records.GraphQL.Tests.Validation;

// graphql-js's own validation cases (../shared/conformance/graphql): with all specified rules, the engine accepts
// exactly the documents graphql-js accepts and reports errors at the same multiset of locations.
public class ConformanceTests
{
    public sealed record Case(int Id, string Rule, string Schema, string Query, bool Valid, IReadOnlyList<ExpectedError> Errors);

    public sealed record ExpectedError(string Message, IReadOnlyList<SourceLocation> Locations);

    private static readonly Lazy<IReadOnlyDictionary<int, Case>> Cases = new(LoadCases);
    private static readonly ConcurrentDictionary<string, Schema> Schemas = new();

    public static TheoryData<int, string> CaseIds()
    {
        var data = new TheoryData<int, string>();
        foreach (var c in Cases.Value.Values) data.Add(c.Id, c.Rule);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Agrees_with_graphql_js(int id, string rule)
    {
        var c = Cases.Value[id];
        Assert.Equal(rule, c.Rule);
        var schema = Schemas.GetOrAdd(c.Schema, SchemaBuilder.FromSdl);
        var errors = DocumentValidator.Validate(schema, Parser.Parse(c.Query));

        var expected = c.Errors.Select(e => Describe(e.Locations)).Order(StringComparer.Ordinal).ToList();
        var actual = errors.Select(e => Describe(e.Locations)).Order(StringComparer.Ordinal).ToList();
        Assert.True(
            c.Valid == (errors.Count == 0) && expected.SequenceEqual(actual),
            $"Case {id} ({rule}):\n{c.Query}\nexpected:\n{string.Join("\n", c.Errors.Select(e => Describe(e.Locations) + " " + e.Message))}\n"
            + $"actual:\n{string.Join("\n", errors.Select(e => Describe(e.Locations) + " " + e.Message))}");
        Assert.All(errors, e => Assert.Equal(DocumentValidator.ValidationFailedCode, e.Code));
    }

    [Fact]
    public void Covers_every_case_of_the_file()
    {
        Assert.Equal(249, Cases.Value.Count);
        Assert.Contains(Cases.Value.Values, c => c.Valid);
        Assert.Contains(Cases.Value.Values, c => !c.Valid);
    }

    private static string Describe(IEnumerable<SourceLocation> locations) =>
        "[" + string.Join(", ", locations.Select(l => $"{l.Line}:{l.Column}")) + "]";

    private static IReadOnlyDictionary<int, Case> LoadCases()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Records.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("Records.sln not found above " + AppContext.BaseDirectory);
        var path = Path.Combine(directory.FullName, "..", "shared", "conformance", "graphql", "validation-cases.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.EnumerateArray().Select(c => new Case(
                c.GetProperty("id").GetInt32(),
                c.GetProperty("rule").GetString()!,
                c.GetProperty("schema").GetString()!,
                c.GetProperty("query").GetString()!,
                c.GetProperty("valid").GetBoolean(),
                c.GetProperty("errors").EnumerateArray().Select(e => new ExpectedError(
                    e.GetProperty("message").GetString()!,
                    e.TryGetProperty("locations", out var locations)
                        ? locations.EnumerateArray().Select(l => new SourceLocation(l.GetProperty("line").GetInt32(), l.GetProperty("column").GetInt32())).ToList()
                        : [])).ToList()))
            .ToDictionary(c => c.Id);
    }
}
