namespace Records.GraphQL.Language;

/// <summary>
/// A document could not be parsed. The message reads like graphql-js's
/// ("Syntax Error: Expected Name, found &lt;EOF&gt;."); <see cref="Line"/> and <see cref="Column"/> are 1-based.
/// </summary>
public sealed class GraphQLSyntaxError : Exception
{
    /// <summary>Code of ordinary grammar errors.</summary>
    public const string SyntaxErrorCode = "GRAPHQL_PARSE_FAILED";
    /// <summary>Code when <see cref="ParserOptions.MaxTokens"/> is exceeded.</summary>
    public const string MaxTokensCode = "MAX_TOKENS_EXCEEDED";
    /// <summary>Code when <see cref="ParserOptions.MaxDepth"/> is exceeded.</summary>
    public const string MaxDepthCode = "MAX_DEPTH_EXCEEDED";
    /// <summary>Code when <see cref="ParserOptions.MaxDocumentLength"/> is exceeded.</summary>
    public const string MaxDocumentLengthCode = "MAX_DOCUMENT_LENGTH_EXCEEDED";

    public GraphQLSyntaxError(Source source, int position, string description, string code = SyntaxErrorCode)
        : base("Syntax Error: " + description)
    {
        SourceDocument = source;
        Position = position;
        Description = description;
        Code = code;
        var location = source.GetLocation(position);
        Line = location.Line;
        Column = location.Column;
    }

    /// <summary>The sentence after "Syntax Error: ".</summary>
    public string Description { get; }
    /// <summary>A stable machine-readable code, e.g. <see cref="SyntaxErrorCode"/>.</summary>
    public string Code { get; }
    /// <summary>The document the error is in.</summary>
    public Source SourceDocument { get; }
    /// <summary>Character offset of the error in <see cref="Source"/>.</summary>
    public int Position { get; }
    public int Line { get; }
    public int Column { get; }
}
