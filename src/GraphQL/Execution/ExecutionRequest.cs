using System.Text.Json;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Execution;

/// <summary>
/// Everything one execution needs (spec section 6 "ExecuteRequest"): a valid schema, a parsed and validated document,
/// which operation to run, the raw variable values, and the host's per-request context. A record: a subscription's
/// request for each event is a copy with <c>with</c>, so a member added here reaches the events without more code.
/// </summary>
public sealed record ExecutionRequest
{
    public required Schema Schema { get; init; }

    /// <summary>The parsed document; execution assumes it passed validation.</summary>
    public required DocumentNode Document { get; init; }

    /// <summary>Which operation to run; may be null when the document has exactly one.</summary>
    public string? OperationName { get; init; }

    /// <summary>
    /// Raw variable values as they arrive over the wire: null, bool, numbers, strings, lists and string-keyed dictionaries
    /// (see <see cref="VariablesFromJson"/>). They are coerced against the operation's variable definitions.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    /// <summary>The source value of the root fields.</summary>
    public object? RootValue { get; init; }

    /// <summary>The host's services, handed to resolvers as <see cref="ResolveContext.Services"/>.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>
    /// A bag shared by all resolvers of this request, and of a subscription's every event for as long as it lasts; a
    /// fresh one when null. Sibling resolvers run at once: a bag they write to must be safe for that.
    /// </summary>
    public IDictionary<string, object?>? Items { get; init; }

    /// <summary>Cancels the execution (e.g. the client went away); the executor then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>When false, <c>__schema</c> and <c>__type</c> give an error (<c>__typename</c> still works).</summary>
    public bool AllowIntrospection { get; init; } = true;

    /// <summary>The longest the execution may take; past it the result is a single EXECUTION_TIMEOUT error.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Set when this <see cref="Document"/> instance is executed again and again (e.g. it comes from a document cache):
    /// field plans that no variable changes are then kept with the document and reused by later requests.
    /// Leave false for one-off documents, which would only pay for keeping them.
    /// </summary>
    public bool DocumentIsReused { get; init; }

    /// <summary>When true, messages of non-GraphQL exceptions thrown by resolvers reach the client; otherwise "Unexpected error.".</summary>
    public bool ExposeExceptionMessages { get; init; }

    /// <summary>
    /// Turns a non-GraphQL exception a resolver threw into the error its client sees (a code and a sentence), for
    /// failures the host can explain (a store it depends on away for a moment); null leaves it to
    /// <see cref="ExposeExceptionMessages"/>. If it throws, the error is left to <see cref="ExposeExceptionMessages"/> as well.
    /// </summary>
    public Func<Exception, GraphQLError?>? MapException { get; init; }

    /// <summary>A JSON object of variables (e.g. the "variables" member of a request body) as raw values; null or JSON null give none.</summary>
    public static IReadOnlyDictionary<string, object?>? VariablesFromJson(JsonElement? variables)
    {
        if (variables is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        if (element.ValueKind != JsonValueKind.Object)
            throw new GraphQLError("Variables must be provided as a JSON object.", ErrorCodes.BadRequest);
        return (IReadOnlyDictionary<string, object?>)FromJson(element)!;
    }

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        // Boxed one by one: in a single conditional expression C# would widen all three to double.
        JsonValueKind.Number => element.TryGetInt32(out var i) ? (object)i : element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
