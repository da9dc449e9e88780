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

    /// <summary>Granted events tried for one subscription before the dispatcher looks at the others again.</summary>
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
    private readonly Dictionary<Guid, Task> _delivering = [];
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
        while (!stopping.IsCancellationRequested)
        {
            listener.Reset();
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
                lock (_delivering)
                {
                    // A turn still running is not started again; look again soon all the same, for when it ends
                    // (no notification may come: the events it has yet to deliver may all be numbered already).
                    if (!(_delivering.TryGetValue(subscription.Id, out var running) && !running.IsCompleted))
                        _delivering[subscription.Id] = Task.Run(() => DeliverAsync(subscription.Id, stopping), stopping);
                }
                nextDue = now; // look again soon: it may have more than one batch
            }
            var wait = nextDue - DateTime.UtcNow;
            await listener.WaitAsync(wait < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : wait, stopping);
        }
    }

    /// <summary>Delivers the granted events after the subscription's position, in order, until one fails or the turn's batch is done.</summary>
    private async Task DeliverAsync(Guid id, CancellationToken stopping)
    {
        // Deliveries are recorded a run at a time, with the position they reach: one write serves many
        // events, and a crash before the record delivers the run again (at least once; recorded then).
        var delivered = new List<WebhookDelivery>();
        long position = 0, written = 0;
        try
        {
            // Read afresh: the list that scheduled this may predate the last attempt's outcome.
            if (await _registry.GetAsync(id, stopping) is not { Status: "active" } subscription
                || subscription.NextAttemptAt > DateTime.UtcNow) return;
            var secret = await _registry.SecretAsync(subscription.Id, stopping);
            position = written = subscription.Position;
            var attempts = subscription.Attempts;

            // Writes the run with the new position, if the stored one is still ours (a replay or another
            // dispatcher did not move it) and the subscription still active; else the turn ends here.
            async Task<bool> Record(long reached, int failedAttempts, DateTime? nextAttemptAt, WebhookDelivery? deadLetter, CancellationToken ct)
            {
                var status = await RecordAsync(subscription.Id, written, reached, failedAttempts, nextAttemptAt, delivered, ct, deadLetter);
                (written, delivered) = (reached, []);
                return status == "active";
            }

            var turn = 0; // granted events tried in this turn
            for (var scanned = 0; turn < _options.BatchSize && scanned < ScanLimit;)
            {
                var page = await _log.ReadAsync(position, ScanPage, stopping);
                if (page.Count == 0)
                {
                    // Follow the log for a while rather than end the turn at once: a turn costs a few queries.
                    if (!await _log.WaitForEventsAfterAsync(position, _options.FollowFor, stopping)) break;
                    continue;
                }
                foreach (var recorded in page)
                {
                    if (turn == _options.BatchSize) break;
                    scanned++;
                    var sequence = recorded.Sequence!.Value;
                    if (!subscription.Scope.Allows(recorded))
                    {
                        position = sequence; // written with the next record
                        continue;
                    }

                    turn++;
                    var attempt = attempts + 1;
                    var delivery = await PostAsync(subscription, secret, recorded, attempt, stopping);
                    delivered.Add(delivery);
                    if (delivery.Delivered)
                    {
                        position = sequence;
                        attempts = 0;
                        if (delivered.Count == _options.RecordEvery && !await Record(position, 0, null, null, stopping)) return;
                        continue;
                    }
                    if (attempt >= _options.MaxAttempts)
                    {
                        // Dead-lettered: kept for replay, and the events after it flow again.
                        position = sequence;
                        attempts = 0;
                        if (!await Record(sequence, 0, null, delivery, stopping)) return;
                        continue;
                    }
                    await Record(position, attempt, DateTime.UtcNow + Backoff.Of(attempt, _options.FirstRetryDelay, _options.MaxRetryDelay), null, stopping);
                    return;
                }
            }

            if (position != written || delivered.Count > 0)
                await Record(position, attempts, null, null, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && delivered.Count > 0)
        {
            // Stopping (or no longer leading) with a run delivered but not yet recorded: record it if the
            // database lets us, so that only an event in flight may come again.
            try
            {
                await RecordAsync(id, written, position, 0, null, delivered, CancellationToken.None);
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
        }
    }

    private async Task<WebhookDelivery> PostAsync(
        WebhookSubscription subscription, string secret, RecordedEvent recorded, int attempt, CancellationToken stopping)
    {
        var body = CloudEvent.ToJson(recorded, subscription.Scope, _pseudonymizer);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(CloudEvent.ContentType) { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", recorded.EventId.ToString());
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, recorded.EventId.ToString(), timestamp, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.RequestTimeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var ok = response.IsSuccessStatusCode;
            return new(recorded.Sequence!.Value, recorded.EventId, attempt, ok, (int)response.StatusCode,
                ok ? null : $"the endpoint answered {(int)response.StatusCode}", (int)watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            return new(recorded.Sequence!.Value, recorded.EventId, attempt, false, null,
                e is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s" : e.Message, (int)watch.ElapsedMilliseconds);
        }
    }

    /// <summary>
    /// Writes <paramref name="deliveries"/> (and the dead letter, if any) with the subscription's new position,
    /// attempts and next attempt, in one implicit transaction: the record and the checkpoint move together. The
    /// position moves only from <paramref name="from"/>; returns the subscription's status, or null when its
    /// position had moved meanwhile (a replay) and was left alone.
    /// </summary>
    private async Task<string?> RecordAsync(
        Guid subscription, long from, long position, int attempts, DateTime? nextAttemptAt, IReadOnlyList<WebhookDelivery> deliveries,
        CancellationToken stopping, WebhookDelivery? deadLetter = null)
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
        if (deadLetter is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                insert into feeds.webhook_dead_letters (subscription_id, sequence, event_id, attempts, last_error) values ($1, $2, $3, $4, $5)
                on conflict (subscription_id, sequence) do update set attempts = excluded.attempts, last_error = excluded.last_error, dead_at = clock_timestamp()
                """)
            {
                Parameters =
                {
                    new() { Value = subscription }, new() { Value = deadLetter.Sequence }, new() { Value = deadLetter.EventId },
                    new() { Value = deadLetter.Attempt }, new() { Value = deadLetter.Error ?? "" },
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
