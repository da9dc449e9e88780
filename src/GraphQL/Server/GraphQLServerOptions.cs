using Records.GraphQL.Language;
using Records.GraphQL.Validation.Limits;

namespace Records.GraphQL.Server;

/// <summary>How <see cref="GraphQLServer"/> treats requests: limits, the document cache and trusted documents.</summary>
public sealed record GraphQLServerOptions
{
    /// <summary>Parser limits (tokens, depth, document length); over one, a syntax error with the limit's code.</summary>
    public ParserOptions Parser { get; init; } = ParserOptions.Default;

    /// <summary>Deepest selection nesting an operation may have (MAX_DEPTH_EXCEEDED); null for no limit.</summary>
    public int? MaxDepth { get; init; } = 15;

    /// <summary>Most aliases an operation may use (MAX_ALIASES_EXCEEDED); null for no limit.</summary>
    public int? MaxAliases { get; init; } = 30;

    /// <summary>Most fields an operation may select, fragments expanded (MAX_FIELDS_EXCEEDED); null for no limit.</summary>
    public int? MaxFields { get; init; } = 1000;

    /// <summary>The cost limit (MAX_COST_EXCEEDED); null for none.</summary>
    public CostOptions? Cost { get; init; }

    /// <summary>The longest an execution may take (EXECUTION_TIMEOUT); null for no limit.</summary>
    public TimeSpan? ExecutionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Validation stops after this many errors.</summary>
    public int MaxValidationErrors { get; init; } = 100;

    /// <summary>How many parsed and validated documents the cache keeps (least recently used go first); 0 turns it off.</summary>
    public int DocumentCacheSize { get; init; } = 1000;

    /// <summary>
    /// When set, only these documents run: the request names one by id (<c>documentId</c> or
    /// <c>extensions.persistedQuery.sha256Hash</c>); document text is refused. Keys are ids, values the document text.
    /// </summary>
    public IReadOnlyDictionary<string, string>? TrustedDocuments { get; init; }

    /// <summary>When true, messages of unexpected resolver exceptions reach clients (for development).</summary>
    public bool ExposeExceptionMessages { get; init; }

    /// <summary>Turns resolver exceptions the host can explain into typed errors (see <see cref="Execution.ExecutionRequest.MapException"/>).</summary>
    public Func<Exception, GraphQLError?>? MapException { get; init; }
}
