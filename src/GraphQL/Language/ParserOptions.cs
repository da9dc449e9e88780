namespace Records.GraphQL.Language;

/// <summary>Protections against hostile documents. Every limit is inclusive; null means unlimited.</summary>
public sealed record ParserOptions
{
    /// <summary>Defaults sized for client requests: 15 000 tokens, depth 64, 1 MiB of text.</summary>
    public static ParserOptions Default { get; } = new();

    /// <summary>No limits at all: for trusted text such as SDL shipped with the application.</summary>
    public static ParserOptions Unlimited { get; } = new() { MaxTokens = null, MaxDepth = null, MaxDocumentLength = null };

    /// <summary>Most lexical tokens (not counting &lt;EOF&gt;) a document may hold.</summary>
    public int? MaxTokens { get; init; } = 15_000;

    /// <summary>Deepest nesting of selection sets, list/object values and list/non-null types.</summary>
    public int? MaxDepth { get; init; } = 64;

    /// <summary>Longest document, in UTF-16 characters.</summary>
    public int? MaxDocumentLength { get; init; } = 1024 * 1024;

    /// <summary>Whether nodes carry a <see cref="Location"/>. Turning it off saves memory for cached documents that never report errors.</summary>
    public bool NoLocation { get; init; }
}
