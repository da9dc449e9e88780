using Records.GraphQL.Execution;
using Records.GraphQL.Language;
using Records.GraphQL.Types;
using Records.GraphQL.Validation;
using Records.GraphQL.Validation.Limits;

namespace Records.GraphQL.Server;

/// <summary>
/// The request pipeline both transports share: find the document (text, or a trusted document by id), take it from the
/// cache or parse and validate it (with the limits of <see cref="GraphQLServerOptions"/>), then execute or subscribe.
/// Thread-safe; one instance serves all requests of a schema.
/// </summary>
public sealed class GraphQLServer
{
    private readonly IReadOnlyList<ValidationRuleFactory> _rules;

    public GraphQLServer(Schema schema, GraphQLServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema.AssertValid();
        Options = options ?? new GraphQLServerOptions();
        Cache = Options.DocumentCacheSize > 0 ? new DocumentCache(Options.DocumentCacheSize) : null;
        _rules = [.. DocumentValidator.SpecifiedRules, .. LimitRules(Options)];
    }

    public Schema Schema { get; }

    public GraphQLServerOptions Options { get; }

    /// <summary>The cache of validated documents; null when <see cref="GraphQLServerOptions.DocumentCacheSize"/> is 0.</summary>
    public DocumentCache? Cache { get; }

    /// <summary>
    /// Finds, parses and validates the request's document. Never throws for a bad request: the failure is a result
    /// without data (a request error) in <see cref="PreparedRequest.Failure"/>.
    /// </summary>
    public PreparedRequest Prepare(GraphQLRequest request, bool allowIntrospection = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (DocumentText(request, out var error) is not { } text) return new(request, null, ExecutionResult.FromErrors(error!));

        var key = DocumentCache.KeyOf(text);
        if (Cache is not null && Cache.TryGet(key, out var cached)) return new(request, cached, null);

        DocumentNode document;
        try
        {
            document = Parser.Parse(text, Options.Parser);
        }
        catch (GraphQLSyntaxError syntax)
        {
            return new(request, null, ExecutionResult.FromErrors(
                new GraphQLError(syntax.Message, syntax.Code, [new SourceLocation(syntax.Line, syntax.Column)])));
        }

        // Suggestions name schema members, so they are hidden from clients that may not introspect.
        var errors = DocumentValidator.Validate(Schema, document, _rules, Options.MaxValidationErrors, hideSuggestions: !allowIntrospection);
        if (errors.Count > 0) return new(request, null, ExecutionResult.FromErrors(errors));
        Cache?.Add(key, document);
        return new(request, document, null);
    }

    /// <summary>Runs a query or mutation request end to end; request errors come back as results without data.</summary>
    public ValueTask<ExecutionResult> ExecuteAsync(GraphQLRequest request, GraphQLRequestContext context) =>
        ExecuteAsync(Prepare(request, context.AllowIntrospection), context);

    /// <summary>Executes a prepared query or mutation.</summary>
    public ValueTask<ExecutionResult> ExecuteAsync(PreparedRequest prepared, GraphQLRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(context);
        return prepared.Failure is { } failure ? ValueTask.FromResult(failure) : Executor.ExecuteAsync(ExecutionRequestFor(prepared, context));
    }

    /// <summary>
    /// Runs a prepared subscription: one result per event. A request error comes alone, and the stream ends.
    /// Queries and mutations sent here give their single result (so a socket can carry every operation).
    /// </summary>
    public async IAsyncEnumerable<ExecutionResult> SubscribeAsync(
        PreparedRequest prepared, GraphQLRequestContext context,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(context);
        if (prepared.Failure is { } failure)
        {
            yield return failure;
            yield break;
        }
        var request = ExecutionRequestFor(prepared, context);
        if (prepared.OperationType != OperationType.Subscription)
        {
            yield return await Executor.ExecuteAsync(request).ConfigureAwait(false);
            yield break;
        }
        await foreach (var result in Executor.SubscribeAsync(request, cancellationToken).ConfigureAwait(false))
            yield return result;
    }

    private ExecutionRequest ExecutionRequestFor(PreparedRequest prepared, GraphQLRequestContext context) => new()
    {
        Schema = Schema,
        Document = prepared.Document!,
        DocumentIsReused = Cache is not null, // a cached document is executed again by later requests
        OperationName = prepared.Request.OperationName,
        Variables = prepared.Request.Variables,
        RootValue = context.RootValue,
        Services = context.Services,
        Items = context.Items,
        CancellationToken = context.CancellationToken,
        AllowIntrospection = context.AllowIntrospection,
        Timeout = Options.ExecutionTimeout,
        ExposeExceptionMessages = Options.ExposeExceptionMessages,
        MapException = Options.MapException,
    };

    private string? DocumentText(GraphQLRequest request, out GraphQLError? error)
    {
        error = null;
        if (Options.TrustedDocuments is not { } trusted) return request.Query;
        if (request.DocumentId is not { } id)
        {
            error = new GraphQLError("Only trusted documents are accepted: send a registered \"documentId\" instead of the document text.",
                ServerErrorCodes.TrustedDocumentRequired);
            return null;
        }
        if (trusted.TryGetValue(id, out var text)) return text;
        error = new GraphQLError($"No trusted document has the id \"{id}\".", ServerErrorCodes.TrustedDocumentNotFound);
        return null;
    }

    private static IEnumerable<ValidationRuleFactory> LimitRules(GraphQLServerOptions options)
    {
        if (options.MaxDepth is { } depth) yield return MaxDepth.Rule(depth);
        if (options.MaxAliases is { } aliases) yield return MaxAliases.Rule(aliases);
        if (options.MaxFields is { } fields) yield return MaxFields.Rule(fields);
        if (options.Cost is { } cost) yield return Cost.Rule(cost);
    }
}

/// <summary>A request with its validated document, or the request error that stopped it.</summary>
public sealed class PreparedRequest
{
    internal PreparedRequest(GraphQLRequest request, DocumentNode? document, ExecutionResult? failure)
    {
        Request = request;
        Document = document;
        Failure = failure;
        OperationType = document is null ? null : SelectOperation(document, request.OperationName)?.Operation;
    }

    public GraphQLRequest Request { get; }

    /// <summary>The parsed, valid document; null when <see cref="Failure"/> is set.</summary>
    public DocumentNode? Document { get; }

    /// <summary>The request error (parse, validation, limits, trusted documents); null when the document is valid.</summary>
    public ExecutionResult? Failure { get; }

    /// <summary>The kind of operation that would run; null when it cannot be chosen (execution then reports why).</summary>
    public OperationType? OperationType { get; }

    private static OperationDefinitionNode? SelectOperation(DocumentNode document, string? name)
    {
        var operations = document.Definitions.OfType<OperationDefinitionNode>();
        return name is null
            ? operations.Take(2).Count() == 1 ? operations.First() : null
            : operations.FirstOrDefault(operation => operation.Name?.Value == name);
    }
}
