using System.Globalization;
using System.Text.Json;
using Records.EventStore;
using Records.Projections;

namespace Records.Api.Feeds;

/// <summary>
/// The pull and live feeds over HTTP, in global sequence order, filtered by the caller's
/// <see cref="FeedScope"/>:
/// <c>GET /feed?after=&amp;limit=&amp;wait=</c> returns CloudEvents and the cursor for the next call
/// (with <c>wait</c>, a call at the head waits up to that many seconds for new events);
/// <c>GET /feed/stream</c> is Server-Sent Events resuming from <c>Last-Event-ID</c> (or <c>after</c>),
/// with keep-alive comments.
/// </summary>
public static class FeedEndpoints
{
    public const int MaxLimit = 1000;
    public const int MaxWaitSeconds = 30;

    /// <param name="scopeOf">The caller's grant; null means not allowed (403).</param>
    /// <param name="keepAlive">How often a quiet event stream gets a comment; null: never.</param>
    /// <returns>The group of both endpoints, for the host's authorization.</returns>
    public static RouteGroupBuilder MapEventFeeds(this IEndpointRouteBuilder endpoints, string prefix, Func<HttpContext, FeedScope?> scopeOf, TimeSpan? keepAlive = null)
    {
        var feeds = endpoints.MapGroup(prefix);
        feeds.MapGet("", (HttpContext context, LogTail log, Pseudonymizer pseudonymizer) =>
            PullAsync(context, log, pseudonymizer, scopeOf));
        feeds.MapGet("/stream", (HttpContext context, LogTail log, Pseudonymizer pseudonymizer) =>
            StreamAsync(context, log, pseudonymizer, scopeOf, keepAlive ?? Timeout.InfiniteTimeSpan));
        return feeds;
    }

    private static async Task<IResult> PullAsync(HttpContext context, LogTail log, Pseudonymizer pseudonymizer, Func<HttpContext, FeedScope?> scopeOf)
    {
        if (scopeOf(context) is not { } scope) return Problem(StatusCodes.Status403Forbidden, "feed_forbidden", "This identity is not granted any event feed.");
        if (!TryQuery(context, "after", 0, long.MaxValue, 0, out var after, out var error)
            || !TryQuery(context, "limit", 1, MaxLimit, 100, out var limit, out error)
            || !TryQuery(context, "wait", 0, MaxWaitSeconds, 0, out var wait, out error))
            return error!;

        var cancellation = context.RequestAborted;
        var (events, next) = await ReadGrantedAsync(log, scope, after, (int)limit, cancellation);
        if (events.Count == 0 && wait > 0)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromSeconds(wait));
            try
            {
                await foreach (var batch in log.SubscribeBatchesAsync(next, (int)limit, timeout.Token))
                {
                    events = batch.Where(scope.Allows).ToList();
                    next = batch[^1].Sequence!.Value;
                    if (events.Count > 0) break;
                }
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                // The wait ran out: answer with no events and the same cursor.
            }
        }

        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("events");
            foreach (var recorded in events) CloudEvent.Write(writer, recorded, scope, pseudonymizer);
            writer.WriteEndArray();
            writer.WriteNumber("next", next);
            writer.WriteEndObject();
        }
        return Results.Bytes(body.ToArray(), "application/json");
    }

    /// <summary>
    /// Reads up to <paramref name="limit"/> granted events after <paramref name="after"/>; the cursor
    /// moves past events outside the grant too, so a narrow grant does not read them again.
    /// </summary>
    private static async Task<(List<RecordedEvent> Events, long Next)> ReadGrantedAsync(
        LogTail log, FeedScope scope, long after, int limit, CancellationToken cancellationToken)
    {
        var granted = new List<RecordedEvent>();
        var next = after;
        for (var scanned = 0; granted.Count < limit && scanned < 20 * limit;)
        {
            var batch = await log.ReadAsync(next, limit, cancellationToken);
            if (batch.Count == 0) break;
            foreach (var recorded in batch)
            {
                if (granted.Count == limit) break;
                if (scope.Allows(recorded)) granted.Add(recorded);
                next = recorded.Sequence!.Value;
                scanned++;
            }
        }
        return (granted, next);
    }

    private static async Task StreamAsync(
        HttpContext context, LogTail log, Pseudonymizer pseudonymizer, Func<HttpContext, FeedScope?> scopeOf, TimeSpan keepAlive)
    {
        if (scopeOf(context) is not { } scope)
        {
            await Problem(StatusCodes.Status403Forbidden, "feed_forbidden", "This identity is not granted any event feed.").ExecuteAsync(context);
            return;
        }
        long after;
        if (context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } lastEventId)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out after))
            {
                await Problem(StatusCodes.Status400BadRequest, "invalid_last_event_id", $"Last-Event-ID must be a sequence number, not '{lastEventId}'.").ExecuteAsync(context);
                return;
            }
        }
        else if (!TryQuery(context, "after", 0, long.MaxValue, 0, out after, out var error))
        {
            await error!.ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(context.RequestAborted);

        var cancellation = context.RequestAborted;
        var batches = log.SubscribeBatchesAsync(after, 500, cancellation).GetAsyncEnumerator(cancellation);
        var nextBatch = batches.MoveNextAsync().AsTask();
        var quiet = Task.Delay(keepAlive, cancellation);
        try
        {
            while (true)
            {
                if (await Task.WhenAny(nextBatch, quiet) == quiet)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", cancellation);
                    await context.Response.Body.FlushAsync(cancellation);
                    quiet = Task.Delay(keepAlive, cancellation);
                    continue;
                }
                if (!await nextBatch) return;
                foreach (var recorded in batches.Current.Where(scope.Allows))
                {
                    await context.Response.WriteAsync($"id: {recorded.Sequence}\nevent: {recorded.EventType}\ndata: ", cancellation);
                    await context.Response.Body.WriteAsync(CloudEvent.ToJson(recorded, scope, pseudonymizer), cancellation);
                    await context.Response.WriteAsync("\n\n", cancellation);
                }
                await context.Response.Body.FlushAsync(cancellation);
                nextBatch = batches.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            // An enumerator may not be disposed while a MoveNext is in flight: let it see the cancellation first.
            try { await nextBatch; }
            catch (OperationCanceledException) { }
            await batches.DisposeAsync();
        }
    }

    private static bool TryQuery(HttpContext context, string name, long min, long max, long fallback, out long value, out IResult? error)
    {
        error = null;
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max) return true;
        error = Problem(StatusCodes.Status400BadRequest, $"invalid_{name}", $"'{name}' must be a whole number from {min} to {max}, not '{text}'.");
        return false;
    }

    private static IResult Problem(int status, string code, string message) =>
        Results.Json(new { code, message }, statusCode: status);
}
