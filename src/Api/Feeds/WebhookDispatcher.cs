using System.Collections.Concurrent;
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

    /// <summary>Granted events tried in one turn for a subscription (at least one batch); between turns its settings are read again.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>How long a turn waits for more events once it has delivered all there were, before it records and ends.</summary>
    public TimeSpan FollowFor { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Successful deliveries recorded together (with the position they reach); a crash may deliver these again, and the
    /// rest of the batch that reached them.
    /// </summary>
    public int RecordEvery { get; init; } = 50;

    /// <summary>A safety net only: the dispatcher wakes on the sequencer's notifications and on changes to subscriptions.</summary>
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
/// transaction keeps the sequencer's floor down, so each of its looks reads more of the log.
/// </summary>
public sealed class WebhookDispatcher : IAsyncDisposable
{
    /// <summary>Announced when a subscription is registered, resumed or replayed, so that the leader looks at once.</summary>
    public const string ChangedChannel = "feeds_webhooks_changed";

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
    private readonly Lock _turns = new(); // guards the three below
    private readonly Dictionary<Guid, Task> _delivering = []; // the subscriptions a turn is running for
    private readonly HashSet<Guid> _lookAgain = [];           // of those, the ones to look at again when the turn ends
    private TaskCompletionSource _wake = NewSignal();         // set when a turn backs off: the scheduler looks when it is due
    // After a refused batch, its events go one a request up to this sequence, so that an event the endpoint cannot take
    // is found and dead-lettered alone. Only a subscription's own turn touches its entry.
    private readonly ConcurrentDictionary<Guid, long> _singlesThrough = new();
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
        await using (var listen = new NpgsqlCommand($"listen {ChangedChannel}", listener.Connection))
            await listen.ExecuteNonQueryAsync(stopping);
        // Deliveries stop with the lead: a dispatcher that lost it must not go on beside the new leader.
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            await ScheduleAsync(listener, leading.Token);
        }
        finally
        {
            await leading.CancelAsync();
            await DrainTurnsAsync(); // before the listener, and the lock with it, is let go
        }
    }

    private async Task ScheduleAsync(ChannelListener listener, CancellationToken stopping)
    {
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(stopping); // ends a kept wait on the way out
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
                notified ??= listener.WaitAsync(_options.IdleCheckInterval, listening.Token);
                using (var pass = CancellationTokenSource.CreateLinkedTokenSource(stopping))
                {
                    await Task.WhenAny(notified, woken, Task.Delay(wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait, pass.Token));
                    await pass.CancelAsync();
                }
                if (!notified.IsCompleted) continue;
                await notified;
                notified = null;
            }
        }
        finally
        {
            await listening.CancelAsync();
            if (notified is not null) await notified.ContinueWith(_ => { }, TaskScheduler.Default); // its connection free again
        }
    }

    /// <summary>
    /// Starts delivering to a subscription; if it is being delivered to, has it look again once its turn ends: the
    /// events that woke the scheduler may have been numbered after the running turn last looked.
    /// </summary>
    private void Schedule(Guid id, CancellationToken stopping)
    {
        lock (_turns)
        {
            if (_delivering.ContainsKey(id)) _lookAgain.Add(id);
            else _delivering[id] = Task.Run(() => DeliverTurnsAsync(id, stopping), CancellationToken.None);
        }
    }

    /// <summary>Turn after turn while the subscription has more waiting; then leaves it to the scheduler.</summary>
    private async Task DeliverTurnsAsync(Guid id, CancellationToken stopping)
    {
        while (true)
        {
            TurnEnd end;
            try
            {
                end = await DeliverAsync(id, stopping);
            }
            catch
            {
                lock (_turns) Forget(id); // stopping: the next lead starts it afresh
                throw;
            }
            lock (_turns)
            {
                var lookAgain = _lookAgain.Remove(id);
                if ((lookAgain || end == TurnEnd.More) && !stopping.IsCancellationRequested) continue;
                Forget(id);
                if (end == TurnEnd.Later) _wake.TrySetResult();
                return;
            }
        }
    }

    private void Forget(Guid id)
    {
        _delivering.Remove(id);
        _lookAgain.Remove(id);
    }

    private Task NextWake()
    {
        lock (_turns)
        {
            if (_wake.Task.IsCompleted) _wake = NewSignal();
            return _wake.Task;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task DrainTurnsAsync()
    {
        Task[] running;
        lock (_turns) running = [.. _delivering.Values];
        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default); // they end with the token; their errors are reported
    }

    /// <summary>Whether the events after <paramref name="position"/> are still those of a refused batch, to be sent one a request.</summary>
    private bool OneAtATime(Guid id, long position)
    {
        if (!_singlesThrough.TryGetValue(id, out var through)) return false;
        if (position < through) return true;
        _singlesThrough.TryRemove(id, out _);
        return false;
    }

    /// <summary>How a turn ended: nothing more to do now, more waiting at once, or an attempt to make later.</summary>
    private enum TurnEnd { Done, More, Later }

    /// <summary>
    /// One turn: delivers the granted events after the subscription's position, in order, a request at a time, until
    /// one fails, the turn's share (<see cref="WebhookOptions.BatchSize"/>, at least one batch) is done or nothing more
    /// comes for <see cref="WebhookOptions.FollowFor"/>.
    /// </summary>
    private async Task<TurnEnd> DeliverAsync(Guid id, CancellationToken stopping)
    {
        // Deliveries are recorded a run at a time, with the position they reach: one write serves many
        // events, and a crash before the record delivers the run again (at least once; recorded then).
        var delivered = new List<WebhookDelivery>();
        long position = 0, written = 0;
        var attempts = 0; // failed attempts at the event after position
        var replays = 0;  // the subscription's replays when the turn began: a record after another replay is not written
        try
        {
            // Read afresh: the list that scheduled this may predate the last attempt's outcome.
            if (await _registry.GetAsync(id, stopping) is not { Status: "active" } subscription) return TurnEnd.Done;
            if (subscription.NextAttemptAt > DateTime.UtcNow) return TurnEnd.Later;
            var secret = await _registry.SecretAsync(subscription.Id, stopping);
            (position, written, attempts, replays) = (subscription.Position, subscription.Position, subscription.Attempts, subscription.Replays);

            // Writes the run with the new position, if the subscription was not replayed meanwhile (nor moved on by a
            // dispatcher that took the lead while this one was losing it) and is still active. Null when the turn goes on; else how it ends: at once again from where a
            // replay put the position, or not (paused).
            async Task<TurnEnd?> Record(long reached, int failedAttempts, DateTime? nextAttemptAt, IReadOnlyList<WebhookDelivery> deadLetters)
            {
                if (reached == written && delivered.Count == 0 && deadLetters.Count == 0 && nextAttemptAt is null) return null; // nothing to write
                var status = await RecordAsync(id, replays, written, reached, failedAttempts, nextAttemptAt, delivered, deadLetters, stopping);
                (written, delivered) = (reached, []);
                return status switch { "active" => null, null => TurnEnd.More, _ => TurnEnd.Done };
            }

            var share = Math.Max(_options.BatchSize, subscription.MaxBatch);
            IReadOnlyList<RecordedEvent> page = [];
            var next = 0; // the page's first event not looked at; those before it are at or behind position
            var batch = new List<RecordedEvent>(subscription.MaxBatch);
            for (int turn = 0, scanned = 0; turn < share && scanned < ScanLimit;)
            {
                if (next == page.Count)
                {
                    (page, next) = (await _log.ReadAsync(position, ScanPage, stopping), 0);
                    if (page.Count == 0)
                    {
                        // Follow the log for a while rather than end the turn at once: a turn costs a few queries.
                        if (await _log.WaitForEventsAfterAsync(position, _options.FollowFor, stopping)) continue;
                        return await Record(position, attempts, null, []) ?? TurnEnd.Done;
                    }
                }

                // A request carries the granted events waiting now, up to the subscription's batch; one at a time while
                // an attempt has failed or the events of a refused batch are gone through.
                var size = attempts > 0 || OneAtATime(id, position) ? 1 : Math.Min(subscription.MaxBatch, share - turn);
                var reached = position;
                batch.Clear();
                for (; next < page.Count && batch.Count < size; next++)
                {
                    scanned++;
                    reached = page[next].Sequence!.Value;
                    if (subscription.Scope.Allows(page[next])) batch.Add(page[next]);
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
                    if (delivered.Count >= _options.RecordEvery && await Record(position, 0, null, []) is { } end) return end;
                    continue;
                }
                if (batch.Count > 1) _singlesThrough[id] = reached;
                else if (attempt >= _options.MaxAttempts)
                {
                    // Dead-lettered: kept for replay, and the events after it flow again. The position moves only once the
                    // dead letter is written, so a stop in between leaves the event to be tried again.
                    var ended = await Record(reached, 0, null, outcome);
                    (position, attempts) = (reached, 0);
                    if (ended is { } end) return end;
                    continue;
                }
                attempts = attempt; // kept if the stop below cuts the record short
                return await Record(position, attempt, DateTime.UtcNow + Backoff.Of(attempt, _options.FirstRetryDelay, _options.MaxRetryDelay), []) ?? TurnEnd.Later;
            }

            return await Record(position, attempts, null, []) ?? TurnEnd.More; // the turn's share is done; more may wait
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && delivered.Count > 0)
        {
            // Stopping (or no longer leading) with a run delivered but not yet recorded: record it if the database lets
            // us, so that only a request in flight may come again.
            try
            {
                await RecordAsync(id, replays, written, position, attempts, null, delivered, [], CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // Then the run comes again: at least once.
            }
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
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
    /// position moves only from <paramref name="from"/> and only if the subscription was replayed <paramref name="replays"/>
    /// times; returns its status, or null when it had been replayed or moved on meanwhile and was left alone.
    /// </summary>
    private async Task<string?> RecordAsync(
        Guid subscription, int replays, long from, long position, int attempts, DateTime? nextAttemptAt, IReadOnlyList<WebhookDelivery> deliveries,
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
            "update feeds.webhook_subscriptions set position = $2, attempts = $3, next_attempt_at = $4 where id = $1 and position = $5 and replays = $6 returning status")
        {
            Parameters =
            {
                new() { Value = subscription }, new() { Value = position }, new() { Value = attempts },
                new() { Value = (object?)nextAttemptAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new() { Value = from }, new() { Value = replays },
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
        try
        {
            if (_running is not null) await _running;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await DrainTurnsAsync();
            _stopping.Dispose();
        }
    }
}
