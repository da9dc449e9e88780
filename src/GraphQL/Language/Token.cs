namespace Records.GraphQL.Language;

/// <summary>The kinds of lexical tokens (spec section 2.1.6 "Lexical Tokens").</summary>
public enum TokenKind
{
    /// <summary>Start of file.</summary>
    Sof,
    /// <summary>End of file.</summary>
    Eof,
    Bang,
    Dollar,
    Amp,
    ParenL,
    ParenR,
    Spread,
    Colon,
    Equals,
    At,
    BracketL,
    BracketR,
    BraceL,
    Pipe,
    BraceR,
    Name,
    Int,
    Float,
    String,
    BlockString,
}

/// <summary>One lexical token: its kind, character range [Start, End), 1-based line/column and, for names, numbers and strings, its value.</summary>
public readonly record struct Token(TokenKind Kind, int Start, int End, int Line, int Column, string? Value)
{
    /// <summary>graphql-js's token description used in error messages, e.g. <c>Name "foo"</c> or <c>"{"</c>.</summary>
    public override string ToString() => Value is null ? Describe(Kind) : $"{Describe(Kind)} \"{Value}\"";

    /// <summary>How a kind is named in error messages: punctuators quoted, others by name.</summary>
    public static string Describe(TokenKind kind) => kind switch
    {
        TokenKind.Sof => "<SOF>",
        TokenKind.Eof => "<EOF>",
        TokenKind.Bang => "\"!\"",
        TokenKind.Dollar => "\"$\"",
        TokenKind.Amp => "\"&\"",
        TokenKind.ParenL => "\"(\"",
        TokenKind.ParenR => "\")\"",
        TokenKind.Spread => "\"...\"",
        TokenKind.Colon => "\":\"",
        TokenKind.Equals => "\"=\"",
        TokenKind.At => "\"@\"",
        TokenKind.BracketL => "\"[\"",
        TokenKind.BracketR => "\"]\"",
        TokenKind.BraceL => "\"{\"",
        TokenKind.Pipe => "\"|\"",
        TokenKind.BraceR => "\"}\"",
        TokenKind.Name => "Name",
        TokenKind.Int => "Int",
        TokenKind.Float => "Float",
        TokenKind.String => "String",
        TokenKind.BlockString => "BlockString",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
