using System.Diagnostics;
using System.Net.Http.Headers;
using Npgsql;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Projections;

namespace Records.Api.Feeds;

public sealed record WebhookOptions
{
    /// <summary>Attempts at one event before it goes to the dead letters and delivery moves on.</summary>
    public int MaxAttempts { get; init; } = 8;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Granted events tried in one turn for a subscription; between turns its settings are read again.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>How long a turn waits for more events once it has delivered all there were, before it records and ends.</summary>
    public TimeSpan FollowFor { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Successful deliveries recorded together (with the position they reach); a crash may deliver at most these again.</summary>
    public int RecordEvery { get; init; } = 50;

    /// <summary>A safety net only: the dispatcher wakes on the sequencer's notifications.</summary>
    public TimeSpan IdleCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where webhooks may be delivered (checked at registration and at each connection).</summary>
    public WebhookEndpointPolicy Endpoints { get; init; } = WebhookEndpointPolicy.PublicOnly;

    public Action<Exception>? OnError { get; init; }
}

/// <summary>
/// Delivers the global log to webhook subscriptions: at least once, in order per subscription,
/// signed (see <see cref="WebhookSignature"/>), retried with exponential backoff and jitter, and
/// after <see cref="WebhookOptions.MaxAttempts"/> put in the dead letters so that the rest flows.
/// One dispatcher leads per database. No transaction stays open across an HTTP call: an open write
/// transaction would hold back the sequencer.
/// </summary>
public sealed class WebhookDispatcher : IAsyncDisposable
{

    // Events outside a subscription's filter are passed over in pages, so a narrow filter on a long log keeps up.
    private const int ScanPage = 500;
    private const int ScanLimit = 20 * ScanPage;
    private readonly PostgresEventStore _store;
    private readonly LogTail _log;
    private readonly WebhookRegistry _registry;
    private readonly HttpClient _http;
    private readonly Pseudonymizer _pseudonymizer;
    private readonly WebhookOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<Guid, Task> _delivering = []; // the subscriptions being delivered to; guards _lookAgain too
    private readonly HashSet<Guid> _lookAgain = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _running;

    public WebhookDispatcher(LogTail log, HttpClient http, Pseudonymizer pseudonymizer, WebhookOptions? options = null)
    {
        _log = log;
        _store = log.Store;
        _options = options ?? new WebhookOptions();
        _registry = new WebhookRegistry(_store.DataSource, _options.Endpoints);
        _http = http;
        _pseudonymizer = pseudonymizer;
    }

    public void Start() => _running ??= Task.Run(() => RunAsync(_stopping.Token));

    private Task RunAsync(CancellationToken stopping) => ChannelListener.LeadUntilStoppedAsync(
        _store.DataSource, Sequencer.SequencedChannel, AdvisoryLocks.WebhookLeader, TimeSpan.FromSeconds(1), LeadAsync,
        e => e is NpgsqlException, _options.OnError, TimeSpan.FromSeconds(1), stopping);

    private async Task LeadAsync(ChannelListener listener, CancellationToken stopping)
    {
        // Deliveries stop with the lead: a dispatcher that lost it must not go on beside the new leader.
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            await ScheduleAsync(listener, leading.Token);
        }
        finally
        {
            await leading.CancelAsync();
        }
    }

    private async Task ScheduleAsync(ChannelListener listener, CancellationToken stopping)
    {
        Task? notified = null; // the listener's wait, kept across looks: its connection takes one wait at a time
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var woken = NextWake(); // taken before looking: a turn that backs off during the look wakes the next wait
                if (notified is null) listener.Reset();
                var head = await _store.ReadHeadAsync(stopping);
                var now = DateTime.UtcNow;
                var nextDue = now + _options.IdleCheckInterval;
                foreach (var subscription in await _registry.ListAsync(cancellationToken: stopping))
                {
                    if (subscription.Status != "active" || subscription.Position >= head) continue;
                    var due = subscription.NextAttemptAt ?? now;
                    if (due > now)
                    {
                        if (due < nextDue) nextDue = due;
                        continue;
                    }
                    Schedule(subscription.Id, stopping);
                }
                var wait = nextDue - DateTime.UtcNow;
                notified ??= listener.WaitAsync(_options.IdleCheckInterval, stopping);
                await Task.WhenAny(notified, woken, Task.Delay(wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait, stopping));
                if (!notified.IsCompleted) continue;
                await notified;
                notified = null;
            }
        }
        finally
        {
            // The listener is released once its connection is free.
            if (notified is not null) await notified.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Starts delivering to a subscription; if it is being delivered to, has it look again once its turn ends: the
    /// events that woke the scheduler may have been numbered after the running turn last looked.
    /// </summary>
    private void Schedule(Guid id, CancellationToken stopping)
    {
        lock (_delivering)
        {
            if (_delivering.ContainsKey(id)) _lookAgain.Add(id);
            else _delivering[id] = Task.Run(() => DeliverTurnsAsync(id, stopping), stopping);
        }
    }

    /// <summary>Turn after turn while the subscription has more waiting; then leaves it to the scheduler.</summary>
    private async Task DeliverTurnsAsync(Guid id, CancellationToken stopping)
    {
        for (var more = true; more;)
        {
            var end = await DeliverAsync(id, stopping);
            lock (_delivering)
            {
                more = (_lookAgain.Remove(id) || end == TurnEnd.More) && !stopping.IsCancellationRequested;
                if (more) continue;
                _delivering.Remove(id);
                if (end == TurnEnd.Later) _wake.TrySetResult(); // the scheduler looks when the next attempt is due
            }
        }
    }

    private Task NextWake()
    {
        lock (_delivering)
        {
            if (_wake.Task.IsCompleted) _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return _wake.Task;
        }
    }

    /// <summary>How a turn ended: nothing more to do now, more waiting at once, or an attempt to make later.</summary>
    private enum TurnEnd { Done, More, Later }

    /// <summary>
    /// One turn: delivers the granted events after the subscription's position, in order, a request at a time, until
    /// one fails, the turn's <see cref="WebhookOptions.BatchSize"/> is done or nothing more comes for
    /// <see cref="WebhookOptions.FollowFor"/>.
    /// </summary>
    private async Task<TurnEnd> DeliverAsync(Guid id, CancellationToken stopping)
    {
        // Deliveries are recorded a run at a time, with the position they reach: one write serves many
        // events, and a crash before the record delivers the run again (at least once; recorded then).
        var delivered = new List<WebhookDelivery>();
        long position = 0, written = 0;
        try
        {
            // Read afresh: the list that scheduled this may predate the last attempt's outcome.
            if (await _registry.GetAsync(id, stopping) is not { Status: "active" } subscription) return TurnEnd.Done;
            if (subscription.NextAttemptAt > DateTime.UtcNow) return TurnEnd.Later;
            var secret = await _registry.SecretAsync(subscription.Id, stopping);
            position = written = subscription.Position;
            var attempts = subscription.Attempts;

            // Writes the run with the new position, if the stored one is still ours (a replay or another dispatcher
            // did not move it) and the subscription still active. Null when the turn goes on; else how it ends: at
            // once again from where a replay moved the position, or not (paused).
            async Task<TurnEnd?> Record(long reached, int failedAttempts, DateTime? nextAttemptAt, IReadOnlyList<WebhookDelivery> deadLetters, CancellationToken ct)
            {
                if (reached == written && delivered.Count == 0 && deadLetters.Count == 0 && nextAttemptAt is null) return null; // nothing to write
                var status = await RecordAsync(subscription.Id, written, reached, failedAttempts, nextAttemptAt, delivered, deadLetters, ct);
                (written, delivered) = (reached, []);
                return status switch { "active" => null, null => TurnEnd.More, _ => TurnEnd.Done };
            }

            var batch = new List<RecordedEvent>(Math.Min(subscription.MaxBatch, _options.BatchSize));
            var turn = 0; // granted events tried in this turn
            for (var scanned = 0; turn < _options.BatchSize && scanned < ScanLimit;)
            {
                var page = await _log.ReadAsync(position, ScanPage, stopping);
                if (page.Count == 0)
                {
                    // Follow the log for a while rather than end the turn at once: a turn costs a few queries.
                    if (await _log.WaitForEventsAfterAsync(position, _options.FollowFor, stopping)) continue;
                    return await Record(position, attempts, null, [], stopping) ?? TurnEnd.Done;
                }

                // A request carries the granted events waiting now, up to the subscription's batch; a retry carries the
                // failed event alone, so that an event the endpoint keeps refusing is dead-lettered by itself.
                var size = attempts > 0 ? 1 : Math.Min(subscription.MaxBatch, _options.BatchSize - turn);
                var reached = position;
                batch.Clear();
                foreach (var recorded in page)
                {
                    if (batch.Count == size) break;
                    scanned++;
                    reached = recorded.Sequence!.Value;
                    if (subscription.Scope.Allows(recorded)) batch.Add(recorded);
                    else if (batch.Count == 0) position = reached; // passed over; written with the next record
                }
                if (batch.Count == 0) continue;

                turn += batch.Count;
                var attempt = attempts + 1;
                var outcome = await PostAsync(subscription, secret, batch, attempt, stopping);
                delivered.AddRange(outcome);
                if (outcome[0].Delivered)
                {
                    (position, attempts) = (reached, 0);
                    if (delivered.Count >= _options.RecordEvery && await Record(position, 0, null, [], stopping) is { } end) return end;
                    continue;
                }
                if (attempt >= _options.MaxAttempts)
                {
                    // Dead-lettered: kept for replay, and the events after it flow again.
                    (position, attempts) = (reached, 0);
                    if (await Record(position, 0, null, outcome, stopping) is { } end) return end;
                    continue;
                }
                return await Record(position, attempt, DateTime.UtcNow + Backoff.Of(attempt, _options.FirstRetryDelay, _options.MaxRetryDelay), [], stopping) ?? TurnEnd.Later;
            }

            return await Record(position, attempts, null, [], stopping) ?? TurnEnd.More; // the turn's share is done; more may wait
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && delivered.Count > 0)
        {
            // Stopping (or no longer leading) with a run delivered but not yet recorded: record it if the
            // database lets us, so that only an event in flight may come again.
            try
            {
                await RecordAsync(id, written, position, 0, null, delivered, [], CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // Then the run comes again: at least once.
            }
            throw;
        }
        catch (Exception e) when (e is NpgsqlException && !stopping.IsCancellationRequested)
        {
            _options.OnError?.Invoke(e);
            return TurnEnd.Done;
        }
    }

    /// <summary>Sends one request (an event, or a batch of them), signed; returns its outcome for each event it carried.</summary>
    private async Task<IReadOnlyList<WebhookDelivery>> PostAsync(
        WebhookSubscription subscription, string secret, IReadOnlyList<RecordedEvent> events, int attempt, CancellationToken stopping)
    {
        var batched = subscription.MaxBatch > 1;
        var body = batched ? CloudEvent.ToJsonBatch(events, subscription.Scope, _pseudonymizer) : CloudEvent.ToJson(events[0], subscription.Scope, _pseudonymizer);
        // A request's id is its event's; a batch's, its first and last sequence numbers (the log does not change, so the
        // same batch sent again has the same id). Receivers dedupe by the events' own ids all the same.
        var requestId = batched ? $"{CloudEvent.Sequence(events[0].Sequence!.Value)}-{CloudEvent.Sequence(events[^1].Sequence!.Value)}" : events[0].EventId.ToString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(batched ? CloudEvent.BatchContentType : CloudEvent.ContentType) { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", requestId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, requestId, timestamp, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.RequestTimeout);
        var watch = Stopwatch.StartNew();
        (bool Ok, int? StatusCode, string? Error) outcome;
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var code = (int)response.StatusCode;
            outcome = (response.IsSuccessStatusCode, code, response.IsSuccessStatusCode ? null : $"the endpoint answered {code}");
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            outcome = (false, null, e is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s" : e.Message);
        }
        var duration = (int)watch.ElapsedMilliseconds;
        return events.Select(e => new WebhookDelivery(e.Sequence!.Value, e.EventId, attempt, outcome.Ok, outcome.StatusCode, outcome.Error, duration)).ToList();
    }

    /// <summary>
    /// Writes <paramref name="deliveries"/> (and the dead letters, if any) with the subscription's new position,
    /// attempts and next attempt, in one implicit transaction: the record and the checkpoint move together. The
    /// position moves only from <paramref name="from"/>; returns the subscription's status, or null when its
    /// position had moved meanwhile (a replay) and was left alone.
    /// </summary>
    private async Task<string?> RecordAsync(
        Guid subscription, long from, long position, int attempts, DateTime? nextAttemptAt, IReadOnlyList<WebhookDelivery> deliveries,
        IReadOnlyList<WebhookDelivery> deadLetters, CancellationToken stopping)
    {
        await using var batch = _store.DataSource.CreateBatch();
        if (deliveries.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                insert into feeds.webhook_deliveries (subscription_id, sequence, event_id, attempt, delivered, status_code, error, duration_ms)
                select $1, * from unnest($2::bigint[], $3::uuid[], $4::int[], $5::boolean[], $6::int[], $7::text[], $8::int[])
                """)
            {
                Parameters =
                {
                    new() { Value = subscription },
                    new() { Value = deliveries.Select(d => d.Sequence).ToArray() },
                    new() { Value = deliveries.Select(d => d.EventId).ToArray() },
                    new() { Value = deliveries.Select(d => d.Attempt).ToArray() },
                    new() { Value = deliveries.Select(d => d.Delivered).ToArray() },
                    new() { Value = deliveries.Select(d => d.StatusCode).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer },
                    new() { Value = deliveries.Select(d => d.Error).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text },
                    new() { Value = deliveries.Select(d => d.DurationMs).ToArray() },
                },
            });
        }
        if (deadLetters.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                insert into feeds.webhook_dead_letters (subscription_id, sequence, event_id, attempts, last_error)
                select $1, * from unnest($2::bigint[], $3::uuid[], $4::int[], $5::text[])
                on conflict (subscription_id, sequence) do update set attempts = excluded.attempts, last_error = excluded.last_error, dead_at = clock_timestamp()
                """)
            {
                Parameters =
                {
                    new() { Value = subscription },
                    new() { Value = deadLetters.Select(d => d.Sequence).ToArray() },
                    new() { Value = deadLetters.Select(d => d.EventId).ToArray() },
                    new() { Value = deadLetters.Select(d => d.Attempt).ToArray() },
                    new() { Value = deadLetters.Select(d => d.Error ?? "").ToArray() },
                },
            });
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "update feeds.webhook_subscriptions set position = $2, attempts = $3, next_attempt_at = $4 where id = $1 and position = $5 returning status")
        {
            Parameters =
            {
                new() { Value = subscription }, new() { Value = position }, new() { Value = attempts },
                new() { Value = (object?)nextAttemptAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new() { Value = from },
            },
        });
        await using var reader = await batch.ExecuteReaderAsync(stopping);
        do
        {
            if (reader.FieldCount > 0) return await reader.ReadAsync(stopping) ? reader.GetString(0) : null; // the update's answer
        }
        while (await reader.NextResultAsync(stopping));
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] running;
        lock (_delivering) running = [.. _delivering.Values];
        try
        {
            if (_running is not null) await _running;
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException) { }
        _stopping.Dispose();
    }
}
