using Records.GraphQL.Language;

namespace Records.GraphQL.Tests.Language;

public class LexerTests
{
    private static Token LexOne(string text)
    {
        var lexer = new Lexer(new Source(text));
        return lexer.Advance();
    }

    private static List<Token> LexAll(string text)
    {
        var lexer = new Lexer(new Source(text));
        var tokens = new List<Token>();
        for (var t = lexer.Advance(); t.Kind != TokenKind.Eof; t = lexer.Advance()) tokens.Add(t);
        return tokens;
    }

    private static GraphQLSyntaxError LexError(string text) => Assert.Throws<GraphQLSyntaxError>(() => LexAll(text));

    [Theory]
    [InlineData("!", TokenKind.Bang)]
    [InlineData("$", TokenKind.Dollar)]
    [InlineData("&", TokenKind.Amp)]
    [InlineData("(", TokenKind.ParenL)]
    [InlineData(")", TokenKind.ParenR)]
    [InlineData("...", TokenKind.Spread)]
    [InlineData(":", TokenKind.Colon)]
    [InlineData("=", TokenKind.Equals)]
    [InlineData("@", TokenKind.At)]
    [InlineData("[", TokenKind.BracketL)]
    [InlineData("]", TokenKind.BracketR)]
    [InlineData("{", TokenKind.BraceL)]
    [InlineData("|", TokenKind.Pipe)]
    [InlineData("}", TokenKind.BraceR)]
    public void Lexes_every_punctuator(string text, TokenKind kind)
    {
        var token = LexOne(text);
        Assert.Equal(kind, token.Kind);
        Assert.Equal((0, text.Length), (token.Start, token.End));
        Assert.Null(token.Value);
    }

    [Fact]
    public void Skips_ignored_tokens_and_tracks_lines()
    {
        var token = LexOne("\uFEFF \t,,\r\n# comment\r\n  \n    foo");
        Assert.Equal(TokenKind.Name, token.Kind);
        Assert.Equal("foo", token.Value);
        Assert.Equal((4, 5), (token.Line, token.Column));
    }

    [Theory]
    [InlineData("4", TokenKind.Int)]
    [InlineData("-4", TokenKind.Int)]
    [InlineData("0", TokenKind.Int)]
    [InlineData("-0", TokenKind.Int)]
    [InlineData("9876543210123456789", TokenKind.Int)]
    [InlineData("4.123", TokenKind.Float)]
    [InlineData("-4.123", TokenKind.Float)]
    [InlineData("0.123", TokenKind.Float)]
    [InlineData("123e4", TokenKind.Float)]
    [InlineData("123E-4", TokenKind.Float)]
    [InlineData("123e+4", TokenKind.Float)]
    [InlineData("-1.123e4567", TokenKind.Float)]
    public void Lexes_numbers(string text, TokenKind kind)
    {
        var token = LexOne(text);
        Assert.Equal(kind, token.Kind);
        Assert.Equal(text, token.Value);
    }

    [Theory]
    [InlineData("00", "Invalid number, unexpected digit after 0: \"0\".", 2)]
    [InlineData("01", "Invalid number, unexpected digit after 0: \"1\".", 2)]
    [InlineData("+1", "Unexpected character: \"+\".", 1)]
    [InlineData("1.", "Invalid number, expected digit but got: <EOF>.", 3)]
    [InlineData("1e", "Invalid number, expected digit but got: <EOF>.", 3)]
    [InlineData(".123", "Unexpected character: \".\".", 1)]
    [InlineData("1.A", "Invalid number, expected digit but got: \"A\".", 3)]
    [InlineData("-A", "Invalid number, expected digit but got: \"A\".", 2)]
    [InlineData("1.0e", "Invalid number, expected digit but got: <EOF>.", 5)]
    [InlineData("1.2.3", "Invalid number, expected digit but got: \".\".", 4)]
    [InlineData("1_000", "Invalid number, expected digit but got: \"_\".", 2)]
    [InlineData("0xF1", "Invalid number, expected digit but got: \"x\".", 2)]
    [InlineData("1.23f", "Invalid number, expected digit but got: \"f\".", 5)]
    public void Rejects_bad_numbers_with_position(string text, string description, int column)
    {
        var error = LexError(text);
        Assert.Equal("Syntax Error: " + description, error.Message);
        Assert.Equal((1, column), (error.Line, error.Column));
        Assert.Equal(GraphQLSyntaxError.SyntaxErrorCode, error.Code);
    }

    [Theory]
    [InlineData("\"simple\"", "simple")]
    [InlineData("\" white space \"", " white space ")]
    [InlineData("\"quote \\\"\"", "quote \"")]
    [InlineData("\"escaped \\n\\r\\b\\t\\f\\/\\\\\"", "escaped \n\r\b\t\f/\\")]
    [InlineData("\"unicode \\u1234\\u5678\\u90AB\\uCDEF\"", "unicode \u1234\u5678\u90AB\uCDEF")]
    [InlineData("\"unicode \\u{1234}\\u{50}\"", "unicode \u1234P")]
    [InlineData("\"string with emoji \\u{1F600}\"", "string with emoji \U0001F600")]
    [InlineData("\"surrogate pair \\uD83D\\uDE00\"", "surrogate pair \U0001F600")]
    [InlineData("\"raw \U0001F600 pair\"", "raw \U0001F600 pair")]
    public void Lexes_strings_with_every_escape(string text, string value)
    {
        var token = LexOne(text);
        Assert.Equal(TokenKind.String, token.Kind);
        Assert.Equal(value, token.Value);
        Assert.Equal(text.Length, token.End);
    }

    [Theory]
    [InlineData("\"", "Unterminated string.", 2)]
    [InlineData("\"no end", "Unterminated string.", 8)]
    [InlineData("'single'", "Unexpected single quote character ('), did you mean to use a double quote (\")?", 1)]
    [InlineData("\"multi\nline\"", "Unterminated string.", 7)]
    [InlineData("\"bad \\z esc\"", "Invalid character escape sequence: \"\\z\".", 6)]
    [InlineData("\"bad \\u1 esc\"", "Invalid Unicode escape sequence: \"\\u1 es\".", 6)]
    [InlineData("\"bad \\u{} esc\"", "Invalid Unicode escape sequence: \"\\u{}\".", 6)]
    [InlineData("\"bad \\u{110000} esc\"", "Invalid Unicode escape sequence: \"\\u{110000}\".", 6)]
    [InlineData("\"bad \\uD83D esc\"", "Invalid Unicode escape sequence: \"\\uD83D\".", 6)]
    [InlineData("\"bad \\uDE00 esc\"", "Invalid Unicode escape sequence: \"\\uDE00\".", 6)]
    public void Rejects_bad_strings_with_position(string text, string description, int column)
    {
        var error = LexError(text);
        Assert.Equal("Syntax Error: " + description, error.Message);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void Block_strings_are_dedented_and_keep_escaped_triple_quotes()
    {
        var token = LexOne("\"\"\"\n\n    spans\n      multiple\n    lines\n\n  \"\"\"");
        Assert.Equal(TokenKind.BlockString, token.Kind);
        Assert.Equal("spans\n  multiple\nlines", token.Value);

        Assert.Equal("contains \"\"\" triplequote", LexOne("\"\"\"contains \\\"\"\" triplequote\"\"\"").Value);
        Assert.Equal("unescaped \\n\\u1234", LexOne("\"\"\"unescaped \\n\\u1234\"\"\"").Value);
        Assert.Equal("first line\nsecond\r\nthird".Replace("\r\n", "\n"), LexOne("\"\"\"first line\r\n  second\r  third\"\"\"").Value);
        Assert.Equal("", LexOne("\"\"\"   \n  \"\"\"").Value);
    }

    [Fact]
    public void Tokens_after_a_multi_line_block_string_have_correct_lines()
    {
        var tokens = LexAll("\"\"\"a\nb\nc\"\"\" name");
        Assert.Equal((1, 1), (tokens[0].Line, tokens[0].Column));
        Assert.Equal((3, 6), (tokens[1].Line, tokens[1].Column));
    }

    [Theory]
    [InlineData("\"\"\"", "Unterminated string.", 4)]
    [InlineData("\"\"\"no end \"\"", "Unterminated string.", 13)]
    public void Rejects_bad_block_strings(string text, string description, int column)
    {
        var error = LexError(text);
        Assert.Equal("Syntax Error: " + description, error.Message);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("?", "Unexpected character: \"?\".")]
    [InlineData("..", "Unexpected character: \".\".")]
    [InlineData("\u203B", "Unexpected character: U+203B.")]
    [InlineData("\U0001F600", "Unexpected character: U+1F600.")]
    [InlineData("\u0007", "Unexpected character: U+0007.")]
    public void Rejects_unexpected_characters(string text, string description)
    {
        Assert.Equal("Syntax Error: " + description, LexError(text).Message);
    }

    [Fact]
    public void Lone_surrogates_are_invalid_but_control_characters_are_allowed_in_strings()
    {
        // Built in code: attribute strings cannot hold a lone surrogate.
        var lone = "\uD83D";
        Assert.Equal("Syntax Error: Invalid character: U+D83D.", LexError(lone).Message);
        Assert.Equal("Syntax Error: Invalid character within String: U+D83D.", LexError("\"a" + lone + "\"").Message);
        Assert.Equal("Syntax Error: Invalid character within String: U+D83D.", LexError("\"\"\"a" + lone + "\"\"\"").Message);
        Assert.Equal("bell \u0007", LexOne("\"bell \u0007\"").Value);
        Assert.Equal("bell \u0007", LexOne("\"\"\"bell \u0007\"\"\"").Value);
    }

    [Fact]
    public void Error_positions_count_lines_and_columns()
    {
        var error = LexError("\n\n    ?\n");
        Assert.Equal((3, 5), (error.Line, error.Column));
        Assert.Equal(6, error.Position);
        var afterCrLf = LexError("a\r\n\r  ?");
        Assert.Equal((3, 3), (afterCrLf.Line, afterCrLf.Column));
    }

    [Fact]
    public void Lookahead_does_not_move()
    {
        var lexer = new Lexer(new Source("a b"));
        lexer.Advance();
        Assert.Equal("b", lexer.Lookahead().Value);
        Assert.Equal("a", lexer.Token.Value);
        Assert.Equal("b", lexer.Advance().Value);
        Assert.Equal(TokenKind.Eof, lexer.Advance().Kind);
        Assert.Equal(TokenKind.Eof, lexer.Advance().Kind);
    }
}
