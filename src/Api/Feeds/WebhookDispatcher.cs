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

    /// <summary>A safety net only: the dispatcher wakes on the sequencer's notifications.</summary>
    public TimeSpan IdleCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

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
    private const long LeaderLockKey = 0x5245_434F_5244_4657; // "RECORDFW" (feeds, webhooks): distinct from the sequencer's keys

    // Events outside a subscription's filter are passed over in pages, so a narrow filter on a long log keeps up.
    private const int ScanPage = 500;
    private const int ScanLimit = 20 * ScanPage;
    private readonly PostgresEventStore _store;
    private readonly WebhookRegistry _registry;
    private readonly HttpClient _http;
    private readonly Pseudonymizer _pseudonymizer;
    private readonly WebhookOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<Guid, Task> _delivering = [];
    private Task? _running;

    public WebhookDispatcher(PostgresEventStore store, HttpClient http, Pseudonymizer pseudonymizer, WebhookOptions? options = null)
    {
        _store = store;
        _registry = new WebhookRegistry(store.DataSource);
        _http = http;
        _pseudonymizer = pseudonymizer;
        _options = options ?? new WebhookOptions();
    }

    public void Start() => _running ??= Task.Run(() => RunAsync(_stopping.Token));

    private Task RunAsync(CancellationToken stopping) => ChannelListener.LeadUntilStoppedAsync(
        _store.DataSource, Sequencer.SequencedChannel, LeaderLockKey, TimeSpan.FromSeconds(1), LeadAsync,
        e => e is NpgsqlException, _options.OnError, TimeSpan.FromSeconds(1), stopping);

    private async Task LeadAsync(ChannelListener listener, CancellationToken stopping)
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
                    if (_delivering.TryGetValue(subscription.Id, out var running) && !running.IsCompleted) continue;
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
        try
        {
            // Read afresh: the list that scheduled this may predate the last attempt's outcome.
            if (await _registry.GetAsync(id, stopping) is not { Status: "active" } subscription
                || subscription.NextAttemptAt > DateTime.UtcNow) return;
            var secret = await _registry.SecretAsync(subscription.Id, stopping);
            var position = subscription.Position;
            var attempts = subscription.Attempts;
            var written = position;
            var turn = 0; // granted events tried in this turn
            for (var scanned = 0; turn < _options.BatchSize && scanned < ScanLimit;)
            {
                var page = await _store.ReadAllAsync(position, ScanPage, stopping);
                if (page.Count == 0) break;
                foreach (var recorded in page)
                {
                    if (turn == _options.BatchSize) break;
                    scanned++;
                    var sequence = recorded.Sequence!.Value;
                    if (!subscription.Scope.Allows(recorded))
                    {
                        position = sequence; // written with the next delivery, or at the end of the batch
                        continue;
                    }

                    turn++;
                    var attempt = attempts + 1;
                    var (delivered, statusCode, error, elapsed) = await PostAsync(subscription, secret, recorded, stopping);
                    if (delivered)
                    {
                        await RecordAsync(subscription.Id, sequence, 0, null, new(sequence, recorded.EventId, attempt, true, statusCode, null), stopping, elapsed);
                        position = written = sequence;
                        attempts = 0;
                        continue;
                    }
                    var delivery = new WebhookDelivery(sequence, recorded.EventId, attempt, false, statusCode, error);
                    if (attempt >= _options.MaxAttempts)
                    {
                        // Dead-lettered: kept for replay, and the events after it flow again.
                        await RecordAsync(subscription.Id, sequence, 0, null, delivery, stopping, elapsed, deadLetter: true);
                        position = written = sequence;
                        attempts = 0;
                        continue;
                    }
                    await RecordAsync(subscription.Id, position, attempt, DateTime.UtcNow + Backoff.Of(attempt, _options.FirstRetryDelay, _options.MaxRetryDelay), delivery, stopping, elapsed);
                    return;
                }
            }

            if (position != written)
                await RecordAsync(subscription.Id, position, attempts, null, null, stopping);
        }
        catch (Exception e) when (e is NpgsqlException && !stopping.IsCancellationRequested)
        {
            _options.OnError?.Invoke(e);
        }
    }

    private async Task<(bool Delivered, int? StatusCode, string? Error, TimeSpan Elapsed)> PostAsync(
        WebhookSubscription subscription, string secret, RecordedEvent recorded, CancellationToken stopping)
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
            return (ok, (int)response.StatusCode, ok ? null : $"the endpoint answered {(int)response.StatusCode}", watch.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !stopping.IsCancellationRequested))
        {
            return (false, null, e is OperationCanceledException ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s" : e.Message, watch.Elapsed);
        }
    }

    private async Task RecordAsync(
        Guid subscription, long position, int attempts, DateTime? nextAttemptAt, WebhookDelivery? delivery, CancellationToken stopping,
        TimeSpan elapsed = default, bool deadLetter = false)
    {
        await using var batch = _store.DataSource.CreateBatch();
        if (delivery is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                insert into feeds.webhook_deliveries (subscription_id, sequence, event_id, attempt, delivered, status_code, error, duration_ms)
                values ($1, $2, $3, $4, $5, $6, $7, $8)
                """)
            {
                Parameters =
                {
                    new() { Value = subscription }, new() { Value = delivery.Sequence }, new() { Value = delivery.EventId },
                    new() { Value = delivery.Attempt }, new() { Value = delivery.Delivered },
                    new() { Value = (object?)delivery.StatusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer },
                    new() { Value = (object?)delivery.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                    new() { Value = (int)elapsed.TotalMilliseconds },
                },
            });
        }
        if (deadLetter && delivery is not null)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                insert into feeds.webhook_dead_letters (subscription_id, sequence, event_id, attempts, last_error) values ($1, $2, $3, $4, $5)
                on conflict (subscription_id, sequence) do update set attempts = excluded.attempts, last_error = excluded.last_error, dead_at = clock_timestamp()
                """)
            {
                Parameters =
                {
                    new() { Value = subscription }, new() { Value = delivery.Sequence }, new() { Value = delivery.EventId },
                    new() { Value = delivery.Attempt }, new() { Value = delivery.Error ?? "" },
                },
            });
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "update feeds.webhook_subscriptions set position = $2, attempts = $3, next_attempt_at = $4 where id = $1")
        {
            Parameters =
            {
                new() { Value = subscription }, new() { Value = position }, new() { Value = attempts },
                new() { Value = (object?)nextAttemptAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
            },
        });
        await batch.ExecuteNonQueryAsync(stopping); // one implicit transaction: the record and the checkpoint move together
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
