using Records.GraphQL.Language;

namespace Records.GraphQL.Tests.Language;

public class LimitsTests
{
    [Fact]
    public void MaxTokens_stops_parsing_and_names_the_limit()
    {
        var options = new ParserOptions { MaxTokens = 4 };
        Assert.NotNull(Parser.Parse("{ a b }", options)); // 4 tokens
        var error = Assert.Throws<GraphQLSyntaxError>(() => Parser.Parse("{ a b c }", options));
        Assert.Equal("Syntax Error: Document contains more than 4 tokens (MaxTokens). Parsing aborted.", error.Message);
        Assert.Equal(GraphQLSyntaxError.MaxTokensCode, error.Code);
        Assert.Equal(9, error.Column); // the fifth token, "}"
    }

    [Fact]
    public void MaxDepth_counts_selection_sets_values_and_types()
    {
        var options = new ParserOptions { MaxDepth = 3 };
        Assert.NotNull(Parser.Parse("{ a { b { c } } }", options));
        AssertTooDeep("{ a { b { c { d } } } }", options);
        AssertTooDeep("{ a(x: [[[[1]]]]) }", options);
        AssertTooDeep("{ a(x: {a: {b: {c: {d: 1}}}}) }", options);
        AssertTooDeep("query($a: [[[[Int]]]]) { a }", options);
    }

    private static void AssertTooDeep(string text, ParserOptions options)
    {
        var error = Assert.Throws<GraphQLSyntaxError>(() => Parser.Parse(text, options));
        Assert.Equal("Syntax Error: Document is nested deeper than 3 levels (MaxDepth). Parsing aborted.", error.Message);
        Assert.Equal(GraphQLSyntaxError.MaxDepthCode, error.Code);
    }

    [Fact]
    public void MaxDocumentLength_is_checked_before_lexing()
    {
        var options = new ParserOptions { MaxDocumentLength = 10 };
        Assert.NotNull(Parser.Parse("{ abcdef }", options));
        var error = Assert.Throws<GraphQLSyntaxError>(() => Parser.Parse("{ abcdefg }", options));
        Assert.Equal("Syntax Error: Document is longer than 10 characters (MaxDocumentLength). Parsing aborted.", error.Message);
        Assert.Equal(GraphQLSyntaxError.MaxDocumentLengthCode, error.Code);
    }

    [Fact]
    public void Default_limits_stop_a_deeply_nested_attack_without_stack_overflow()
    {
        var text = new string('[', 100_000);
        var error = Assert.Throws<GraphQLSyntaxError>(() => Parser.ParseValue(text));
        Assert.Equal(GraphQLSyntaxError.MaxDepthCode, error.Code);
        Assert.NotNull(Parser.Parse(string.Concat(Enumerable.Repeat("{ a ", 64)) + new string('}', 64)));
    }
}
