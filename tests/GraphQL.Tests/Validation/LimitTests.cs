using Records.GraphQL.Language;
using Records.GraphQL.Validation;
using Records.GraphQL.Validation.Limits;

namespace Records.GraphQL.Tests.Validation;

// The protective limits: each counts through fragments, and reports its own code with the value and the maximum.
public class LimitTests
{
    private static GraphQLError? Over(ValidationRuleFactory limit, string query) =>
        DocumentValidator.Validate(RuleTests.Schema, Parser.Parse(query), [limit]).SingleOrDefault();

    private const string Nested = """
        query Deep { human(id: 1) { friends { ...F } } }
        fragment F on Human { name friends { name } }
        """;

    [Fact]
    public void Max_depth_counts_nested_fields_through_fragments()
    {
        Assert.Null(Over(MaxDepth.Rule(4), Nested));
        var error = Over(MaxDepth.Rule(3), Nested);
        Assert.NotNull(error);
        Assert.Equal("Operation \"Deep\" exceeds the maximum depth: 4, where at most 3 is allowed.", error.Message);
        Assert.Equal(MaxDepth.ErrorCode, error.Code);
        Assert.Equal(new SourceLocation(1, 1), Assert.Single(error.Locations));
    }

    [Fact]
    public void Max_fields_counts_each_spread_of_a_fragment()
    {
        const string query = "{ human(id: 1) { ...F ...F } } fragment F on Human { name friends { name } }";
        // human + 2 × (name + friends + name)
        Assert.Null(Over(MaxFields.Rule(7), query));
        var error = Over(MaxFields.Rule(6), query);
        Assert.Equal("The operation exceeds the maximum number of fields: 7, where at most 6 is allowed.", error?.Message);
        Assert.Equal(MaxFields.ErrorCode, error?.Code);
    }

    [Fact]
    public void Max_aliases_counts_aliases_through_fragments()
    {
        const string query = "{ a: dog { name } b: dog { ...F } } fragment F on Dog { c: name d: name }";
        Assert.Null(Over(MaxAliases.Rule(4), query));
        Assert.Equal(MaxAliases.ErrorCode, Over(MaxAliases.Rule(3), query)?.Code);
    }

    [Fact]
    public void Limits_saturate_on_exponential_fragment_expansion_and_survive_cycles()
    {
        var fragments = string.Join("\n", Enumerable.Range(0, 70).Select(i => $"fragment F{i} on Human {{ friends {{ ...F{i + 1} ...F{i + 1} }} }}"));
        var query = "{ human(id: 1) { ...F0 } }\n" + fragments + "\nfragment F70 on Human { name ...F0 }";
        var error = Over(MaxFields.Rule(1000), query);
        Assert.Equal($"The operation exceeds the maximum number of fields: {long.MaxValue}, where at most 1000 is allowed.", error?.Message);
    }

    [Fact]
    public void Cost_multiplies_list_selections_by_paging_arguments_or_the_default_size()
    {
        var options = new CostOptions(MaximumCost: 1000);
        // human 1 + pets 1 + 3 × name 1 = 5
        Assert.Equal(5, CostOf("{ human(id: 1) { pets(first: 3) { name } } }", options));
        // friends has a default of first: 5; pets has none: the default list size of 10 applies
        Assert.Equal(1 + 1 + 5 * (1 + 1 + 10 * 1), CostOf("{ human(id: 1) { friends { name pets { name } } } }", options));
        // @cost(weight: 50) in the SDL, and a configured weight for code-first schemas
        Assert.Equal(50, CostOf("{ expensive }", options));
        Assert.Equal(7, CostOf("{ expensive }", options with { FieldWeights = new Dictionary<string, int> { ["Query.expensive"] = 7 } }));
        // Four fields at a default weight of 2
        Assert.Equal(8, CostOf("{ dog { name } dog { nickname } }", options with { DefaultFieldCost = 2 }));
    }

    [Fact]
    public void Cost_over_the_maximum_is_reported_with_its_code()
    {
        var error = Over(Cost.Rule(new CostOptions(MaximumCost: 49)), "{ expensive }");
        Assert.Equal("The operation exceeds the maximum cost: 50, where at most 49 is allowed.", error?.Message);
        Assert.Equal(Cost.ErrorCode, error?.Code);
    }

    [Fact]
    public void Limits_join_the_specified_rules()
    {
        var errors = DocumentValidator.Validate(RuleTests.Schema, Parser.Parse(Nested), [.. DocumentValidator.SpecifiedRules, MaxDepth.Rule(2)]);
        Assert.Equal(MaxDepth.ErrorCode, Assert.Single(errors).Code);
    }

    // The cost of an operation is the smallest maximum it passes.
    private static long CostOf(string query, CostOptions options)
    {
        var error = Over(Cost.Rule(options with { MaximumCost = 0 }), query);
        Assert.NotNull(error);
        var value = error.Message.Split(": ")[1].Split(',')[0];
        Assert.Null(Over(Cost.Rule(options with { MaximumCost = long.Parse(value) }), query));
        return long.Parse(value);
    }
}
