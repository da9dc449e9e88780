using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Records.GraphQL.Execution;
using Records.GraphQL.Http;
using Records.GraphQL.Server;
using NetWebSocket = System.Net.WebSockets.WebSocket;

namespace Records.GraphQL.WebSocket;

/// <summary>
/// One graphql-transport-ws connection: connection_init/ack, ping/pong, and subscribe/next/error/complete for any number
/// of concurrent operations. Protocol violations close the socket with the protocol's close codes (<see cref="CloseCodes"/>).
/// </summary>
internal sealed class GraphQLWebSocketConnection(NetWebSocket socket, HttpContext http, GraphQLServer server, GraphQLEndpointOptions options)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _operations = new();
    private readonly List<Task> _running = [];
    private bool _initReceived;
    private volatile bool _acknowledged;

    public async Task RunAsync()
    {
        var initTimeout = CloseIfNotInitialised();
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var message = await ReceiveMessage().ConfigureAwait(false);
                if (message is null) break;
                await HandleMessage(message).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
            // The client went away or the server closed the socket: nothing left to answer.
        }
        finally
        {
            // Every operation's token is linked to this one, so this stops them all.
            await _closing.CancelAsync().ConfigureAwait(false);
            Task[] running;
            lock (_running) running = [.. _running];
            await Task.WhenAll(running).ConfigureAwait(false);
            await initTimeout.ConfigureAwait(false);
            // The client closed first: answer its close frame.
            if (socket.State == WebSocketState.CloseReceived) await CloseAsync((int)WebSocketCloseStatus.NormalClosure, "").ConfigureAwait(false);
        }
    }

    /// <summary>Closes the socket with a protocol close code and stops reading.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, Truncate(reason), CancellationToken.None).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            // Already gone.
        }
        finally
        {
            _sendLock.Release();
        }
        // Wait briefly for the client's close frame, so the close handshake completes.
        _closing.CancelAfter(CloseHandshakeTimeout);
    }

    private async Task CloseIfNotInitialised()
    {
        try
        {
            await Task.Delay(options.WebSocket.ConnectionInitTimeout, _closing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!Volatile.Read(ref _initReceived)) await CloseAsync(CloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout").ConfigureAwait(false);
    }

    // One whole text message, or null when the client closed; a message over the size limit closes with 1009.
    private async Task<JsonDocument?> ReceiveMessage()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(4096), _closing.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > options.MaxRequestBodyBytes)
            {
                await CloseAsync((int)WebSocketCloseStatus.MessageTooBig, "Message too big").ConfigureAwait(false);
                return null;
            }
            if (!result.EndOfMessage) continue;
            try
            {
                return JsonDocument.Parse(buffer.WrittenMemory);
            }
            catch (JsonException)
            {
                await CloseAsync(CloseCodes.BadRequest, "Invalid message received").ConfigureAwait(false);
                return null;
            }
        }
    }

    private async Task HandleMessage(JsonDocument document)
    {
        using (document)
        {
            var message = document.RootElement;
            var type = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
            switch (type)
            {
                case "connection_init": await OnConnectionInit(message).ConfigureAwait(false); break;
                case "ping": await OnPing(message).ConfigureAwait(false); break;
                case "pong": break;
                case "subscribe": await OnSubscribe(message).ConfigureAwait(false); break;
                case "complete": await OnComplete(message).ConfigureAwait(false); break;
                case null: await CloseAsync(CloseCodes.BadRequest, "Invalid message received: it has no \"type\"").ConfigureAwait(false); break;
                default: await CloseAsync(CloseCodes.BadRequest, $"Unexpected message of type {type} received").ConfigureAwait(false); break;
            }
        }
    }

    private async Task OnConnectionInit(JsonElement message)
    {
        if (_initReceived)
        {
            await CloseAsync(CloseCodes.TooManyInitialisationRequests, "Too many initialisation requests").ConfigureAwait(false);
            return;
        }
        Volatile.Write(ref _initReceived, true);
        if (!TryGetPayloadObject(message, out var payload))
        {
            await CloseAsync(CloseCodes.BadRequest, "Invalid message received: the connection_init payload must be an object").ConfigureAwait(false);
            return;
        }
        if (options.WebSocket.OnConnect is { } onConnect && !await onConnect(http, payload).ConfigureAwait(false))
        {
            await CloseAsync(CloseCodes.Forbidden, "Forbidden").ConfigureAwait(false);
            return;
        }
        _acknowledged = true;
        await Send(writer => writer.WriteString("type", "connection_ack")).ConfigureAwait(false);
        if (options.WebSocket.KeepAliveInterval is { } interval && interval > TimeSpan.Zero)
        {
            lock (_running) _running.Add(PingEvery(interval));
        }
    }

    private async Task PingEvery(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
                await Send(writer => writer.WriteString("type", "ping")).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
            // The connection is closing.
        }
    }

    private Task OnPing(JsonElement message) =>
        Send(writer =>
        {
            writer.WriteString("type", "pong");
            if (message.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName("payload");
                payload.WriteTo(writer);
            }
        });

    private async Task OnSubscribe(JsonElement message)
    {
        if (!_acknowledged)
        {
            await CloseAsync(CloseCodes.Unauthorized, "Unauthorized").ConfigureAwait(false);
            return;
        }
        if (OperationId(message) is not { } id)
        {
            await CloseAsync(CloseCodes.BadRequest, "Invalid message received: subscribe needs a non-empty string \"id\"").ConfigureAwait(false);
            return;
        }
        GraphQLRequest request;
        try
        {
            request = message.TryGetProperty("payload", out var payload)
                ? GraphQLRequest.FromJson(payload)
                : throw new GraphQLError("subscribe needs a \"payload\".", ErrorCodes.BadRequest);
        }
        catch (GraphQLError error)
        {
            await CloseAsync(CloseCodes.BadRequest, "Invalid message received: " + error.Message).ConfigureAwait(false);
            return;
        }

        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        if (!_operations.TryAdd(id, cancellation))
        {
            cancellation.Dispose();
            await CloseAsync(CloseCodes.SubscriberAlreadyExists, $"Subscriber for {id} already exists").ConfigureAwait(false);
            return;
        }
        var running = RunOperation(id, request, cancellation);
        lock (_running)
        {
            _running.RemoveAll(task => task.IsCompleted);
            _running.Add(running);
        }
    }

    private async Task OnComplete(JsonElement message)
    {
        if (OperationId(message) is not { } id)
        {
            await CloseAsync(CloseCodes.BadRequest, "Invalid message received: complete needs a non-empty string \"id\"").ConfigureAwait(false);
            return;
        }
        // The client stopped listening: no complete goes back for this id.
        if (!_operations.TryRemove(id, out var operation)) return;
        try
        {
            await operation.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The operation finished (and released its token) in the meantime: nothing left to stop.
        }
    }

    private async Task RunOperation(string id, GraphQLRequest request, CancellationTokenSource cancellation)
    {
        await Task.Yield();   // let the receive loop go on while this operation runs
        try
        {
            var context = await options.CreateRequestContext(http, cancellation.Token).ConfigureAwait(false);
            var prepared = server.Prepare(request, context.AllowIntrospection);
            await foreach (var result in server.SubscribeAsync(prepared, context, cancellation.Token).ConfigureAwait(false))
            {
                if (!result.HasData)
                {
                    await SendError(id, result.Errors!).ConfigureAwait(false);
                    return;
                }
                await Send(writer =>
                {
                    writer.WriteString("type", "next");
                    writer.WriteString("id", id);
                    writer.WritePropertyName("payload");
                    result.WriteTo(writer);
                }).ConfigureAwait(false);
            }
            if (_operations.TryRemove(id, out _))
                await Send(writer =>
                {
                    writer.WriteString("type", "complete");
                    writer.WriteString("id", id);
                }).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
            // Completed by the client, or the connection is closing.
        }
        catch (Exception error) when (server.Options.MapException?.Invoke(error) is { } explained)
        {
            // A failure the host can explain (its event source gone for now) ends this operation alone, not the connection.
            // A mapping that throws counts as no explanation here too: an exception in a filter makes it false.
            await SendError(id, [explained]).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await CloseAsync(CloseCodes.InternalServerError, "Internal server error").ConfigureAwait(false);
        }
        finally
        {
            _operations.TryRemove(new KeyValuePair<string, CancellationTokenSource>(id, cancellation));
            cancellation.Dispose();
        }
    }

    private Task SendError(string id, IReadOnlyList<GraphQLError> errors)
    {
        _operations.TryRemove(id, out _);
        return Send(writer =>
        {
            writer.WriteString("type", "error");
            writer.WriteString("id", id);
            writer.WriteStartArray("payload");
            foreach (var error in errors) error.WriteTo(writer);
            writer.WriteEndArray();
        });
    }

    // Writes one message object (the callback writes its members) and sends it as one text frame.
    private async Task Send(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }
        await _sendLock.WaitAsync(_closing.Token).ConfigureAwait(false);
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, _closing.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static string? OperationId(JsonElement message) =>
        message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value ? value : null;

    private static bool TryGetPayloadObject(JsonElement message, out IReadOnlyDictionary<string, object?>? payload)
    {
        payload = null;
        if (!message.TryGetProperty("payload", out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.Object) return false;
        payload = ExecutionRequest.VariablesFromJson(element);
        return true;
    }

    // A close reason is at most 123 bytes of UTF-8.
    private static string Truncate(string reason)
    {
        while (System.Text.Encoding.UTF8.GetByteCount(reason) > 123) reason = reason[..^1];
        return reason;
    }
}
