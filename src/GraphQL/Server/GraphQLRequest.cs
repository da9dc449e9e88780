using System.Text.Json;
using Records.GraphQL.Execution;

namespace Records.GraphQL.Server;

/// <summary>
/// One GraphQL request as a transport received it (GraphQL over HTTP "request parameters"): the document as text or,
/// with trusted documents, by id; the operation to run; raw variables; extensions.
/// </summary>
public sealed record GraphQLRequest
{
    /// <summary>The document text; null when the request names a trusted document instead.</summary>
    public string? Query { get; init; }

    /// <summary>The id of a registered trusted document (<c>documentId</c>, or <c>extensions.persistedQuery.sha256Hash</c>).</summary>
    public string? DocumentId { get; init; }

    public string? OperationName { get; init; }

    /// <summary>Raw variable values (see <see cref="ExecutionRequest.Variables"/>).</summary>
    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>
    /// Reads the request parameters from a JSON object (a POST body or a WebSocket subscribe payload).
    /// Each parameter of the wrong JSON type is a <see cref="ErrorCodes.BadRequest"/> error naming it.
    /// </summary>
    public static GraphQLRequest FromJson(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new GraphQLError("The request must be a JSON object.", ErrorCodes.BadRequest);
        JsonElement? Member(string name) => body.TryGetProperty(name, out var value) ? value : null;
        return Create(
            StringParameter("query", Member("query")),
            StringParameter("documentId", Member("documentId")),
            StringParameter("operationName", Member("operationName")),
            ObjectParameter("variables", Member("variables")),
            ObjectParameter("extensions", Member("extensions")));
    }

    /// <summary>Reads the request parameters of a GET request: strings, with variables and extensions as JSON text.</summary>
    public static GraphQLRequest FromQueryString(Func<string, string?> parameter) =>
        Create(
            parameter("query"),
            parameter("documentId"),
            parameter("operationName"),
            ObjectParameter("variables", ParseJsonParameter("variables", parameter("variables"))),
            ObjectParameter("extensions", ParseJsonParameter("extensions", parameter("extensions"))));

    private static GraphQLRequest Create(
        string? query, string? documentId, string? operationName,
        IReadOnlyDictionary<string, object?>? variables, IReadOnlyDictionary<string, object?>? extensions)
    {
        documentId ??= PersistedQueryHash(extensions);
        if (query is null && documentId is null)
            throw new GraphQLError("The request has no query: send the document as \"query\" (or a trusted document's \"documentId\").", ErrorCodes.BadRequest);
        return new() { Query = query, DocumentId = documentId, OperationName = operationName, Variables = variables, Extensions = extensions };
    }

    // The de-facto persisted query extension: {"persistedQuery": {"version": 1, "sha256Hash": "…"}}.
    private static string? PersistedQueryHash(IReadOnlyDictionary<string, object?>? extensions) =>
        extensions?.GetValueOrDefault("persistedQuery") is IReadOnlyDictionary<string, object?> persisted
            ? persisted.GetValueOrDefault("sha256Hash") as string
            : null;

    private static string? StringParameter(string name, JsonElement? value) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        _ => throw new GraphQLError($"The \"{name}\" parameter must be a string.", ErrorCodes.BadRequest),
    };

    private static IReadOnlyDictionary<string, object?>? ObjectParameter(string name, JsonElement? value)
    {
        if (value is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
            throw new GraphQLError($"The \"{name}\" parameter must be a JSON object.", ErrorCodes.BadRequest);
        // The kind is checked above, so this only converts the object to raw values.
        return ExecutionRequest.VariablesFromJson(value);
    }

    private static JsonElement? ParseJsonParameter(string name, string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new GraphQLError($"The \"{name}\" parameter is not valid JSON.", ErrorCodes.BadRequest);
        }
    }
}
