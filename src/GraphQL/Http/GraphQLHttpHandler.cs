using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Records.GraphQL.Execution;
using Records.GraphQL.Language;
using Records.GraphQL.Server;
using Records.GraphQL.WebSocket;

namespace Records.GraphQL.Http;

/// <summary>
/// Serves GraphQL over HTTP (the GraphQL-over-HTTP specification): POST with a JSON body, GET with query parameters,
/// responses as <c>application/graphql-response+json</c> or <c>application/json</c> as the Accept header asks.
/// Every bad request gets a 4xx with a GraphQL-shaped error body, never a 500.
/// </summary>
public sealed class GraphQLHttpHandler
{
    public const string GraphQLResponseMediaType = "application/graphql-response+json";
    public const string JsonMediaType = "application/json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly GraphQLServer _server;
    private readonly GraphQLEndpointOptions _options;
    private readonly GraphQLWebSocketHandler? _webSockets;

    public GraphQLHttpHandler(GraphQLServer server, GraphQLEndpointOptions options)
    {
        _server = server;
        _options = options;
        _webSockets = options.WebSocket.Enabled ? new GraphQLWebSocketHandler(server, options) : null;
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (http.WebSockets.IsWebSocketRequest && _webSockets is not null)
        {
            await _webSockets.HandleAsync(http).ConfigureAwait(false);
            return;
        }

        var isGet = HttpMethods.IsGet(http.Request.Method);
        if (!isGet && !HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET, POST";
            await WriteRequestError(http, JsonMediaType, StatusCodes.Status405MethodNotAllowed,
                $"GraphQL requests are sent with GET or POST, not {http.Request.Method}.").ConfigureAwait(false);
            return;
        }

        if (NegotiateMediaType(http.Request) is not { } mediaType)
        {
            await WriteRequestError(http, JsonMediaType, StatusCodes.Status406NotAcceptable,
                $"The Accept header allows neither {GraphQLResponseMediaType} nor {JsonMediaType}.").ConfigureAwait(false);
            return;
        }

        GraphQLRequest request;
        try
        {
            request = isGet
                ? GraphQLRequest.FromQueryString(name => http.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null)
                : await ReadPostBody(http).ConfigureAwait(false);
        }
        catch (HttpRequestError error)
        {
            await WriteRequestError(http, mediaType, error.StatusCode, error.Message).ConfigureAwait(false);
            return;
        }
        catch (GraphQLError error)
        {
            await WriteRequestError(http, mediaType, StatusCodes.Status400BadRequest, error.Message).ConfigureAwait(false);
            return;
        }

        var context = await _options.CreateRequestContext(http, http.RequestAborted).ConfigureAwait(false);
        var prepared = _server.Prepare(request, context.AllowIntrospection);
        if (isGet && prepared.OperationType == OperationType.Mutation)
        {
            http.Response.Headers.Allow = "POST";
            await WriteRequestError(http, mediaType, StatusCodes.Status405MethodNotAllowed,
                "Mutations cannot be sent with GET: use POST.").ConfigureAwait(false);
            return;
        }

        ExecutionResult result;
        try
        {
            result = await _server.ExecuteAsync(prepared, context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;   // the client went away: nobody reads an answer
        }

        // application/json answers every well-formed request with 200; graphql-response+json tells request errors by status.
        var status = mediaType == GraphQLResponseMediaType && !result.HasData ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        await WriteResult(http, mediaType, status, result).ConfigureAwait(false);
    }

    /// <summary>
    /// The response media type the Accept header prefers: graphql-response+json, or application/json (also for a missing
    /// header, */* and application/*, as the specification says for legacy clients); null when it allows neither.
    /// </summary>
    internal static string? NegotiateMediaType(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var values) || values.Count == 0) return JsonMediaType;
        string? best = null;
        var bestQuality = 0.0;
        foreach (var value in values)
        {
            var quality = value.Quality ?? 1.0;
            var mediaType = value.MediaType.Value switch
            {
                GraphQLResponseMediaType => GraphQLResponseMediaType,
                JsonMediaType or "application/*" or "*/*" => JsonMediaType,
                _ => null,
            };
            if (mediaType is null || quality <= 0) continue;
            // At equal quality graphql-response+json wins: it carries the status codes.
            if (quality > bestQuality || (quality == bestQuality && mediaType == GraphQLResponseMediaType))
            {
                best = mediaType;
                bestQuality = quality;
            }
        }
        return best;
    }

    private async Task<GraphQLRequest> ReadPostBody(HttpContext http)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase))
            throw new HttpRequestError(StatusCodes.Status415UnsupportedMediaType,
                $"A POST request must have the Content-Type {JsonMediaType}, not \"{http.Request.ContentType}\".");
        if (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            throw new HttpRequestError(StatusCodes.Status415UnsupportedMediaType,
                $"The request body must be UTF-8, not {contentType.Charset}.");

        // The whole body is buffered by the pipe (up to the limit), then parsed in place.
        var reader = http.Request.BodyReader;
        var limit = _options.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit) throw TooLarge(limit);
        while (true)
        {
            var read = await reader.ReadAsync(http.RequestAborted).ConfigureAwait(false);
            var body = read.Buffer;
            if (body.Length > limit)
            {
                reader.AdvanceTo(body.End);
                throw TooLarge(limit);
            }
            if (!read.IsCompleted)
            {
                reader.AdvanceTo(body.Start, body.End);
                continue;
            }
            try
            {
                if (body.IsEmpty) throw new HttpRequestError(StatusCodes.Status400BadRequest, "The request body is empty: send a JSON object with a \"query\".");
                using var document = JsonDocument.Parse(body);
                return GraphQLRequest.FromJson(document.RootElement);
            }
            catch (JsonException error)
            {
                throw new HttpRequestError(StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {error.Message}");
            }
            finally
            {
                reader.AdvanceTo(body.End);
            }
        }
    }

    private static HttpRequestError TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than the limit of {limit} bytes.");

    private static Task WriteRequestError(HttpContext http, string mediaType, int status, string message) =>
        WriteResult(http, mediaType, status, ExecutionResult.FromErrors(new GraphQLError(message, ErrorCodes.BadRequest)));

    private static async Task WriteResult(HttpContext http, string mediaType, int status, ExecutionResult result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        http.Response.Headers.Vary = "Accept";
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, WriterOptions);
        result.WriteTo(writer);
        await writer.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    // A request the transport refuses before GraphQL sees it, with its HTTP status.
    private sealed class HttpRequestError(int statusCode, string message) : Exception(message)
    {
        public int StatusCode { get; } = statusCode;
    }
}
