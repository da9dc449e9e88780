using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Records.EventStore.Migrations;

namespace Records.Api.Feeds;

/// <param name="MaxBatch">Events a request carries at most: 1, one CloudEvent a request (structured mode); more, a
/// CloudEvents JSON batch of whatever is waiting, up to this many.</param>
/// <param name="Replays">How many times it was replayed.</param>
public sealed record WebhookSubscription(
    Guid Id, string IntegratorId, string Endpoint, FeedScope Scope, string Status, long Position, int Attempts, DateTime? NextAttemptAt,
    int MaxBatch, int Replays);

/// <param name="DurationMs">How long the endpoint took to answer (or to fail).</param>
public sealed record WebhookDelivery(long Sequence, Guid EventId, int Attempt, bool Delivered, int? StatusCode, string? Error, int DurationMs);

public sealed record DeadLetter(long Sequence, Guid EventId, int Attempts, string LastError);

/// <summary>Integrators' webhook subscriptions: register, pause, resume, replay from a position; and what was delivered.</summary>
/// <param name="endpoints">Where endpoints may be registered.</param>
public sealed class WebhookRegistry(NpgsqlDataSource dataSource, WebhookEndpointPolicy endpoints)
{
    public static Task MigrateAsync(NpgsqlDataSource adminDataSource, CancellationToken cancellationToken = default) =>
        Migrator.ApplyAsync(adminDataSource, "feeds", Migration.FromResources(typeof(WebhookRegistry).Assembly), cancellationToken);

    /// <summary>The most events one batched request may carry.</summary>
    public const int MaxBatchLimit = 1000;

    /// <summary>
    /// Registers an endpoint with a filter; returns the subscription and its signing secret, shown
    /// this once. Delivery starts after <paramref name="fromSequence"/> (default: the events to come),
    /// <paramref name="maxBatch"/> events a request at most (see <see cref="WebhookSubscription.MaxBatch"/>).
    /// </summary>
    public async Task<(WebhookSubscription Subscription, string Secret)> RegisterAsync(
        string integratorId, Uri endpoint, FeedScope scope, long? fromSequence = null, int maxBatch = 1, CancellationToken cancellationToken = default)
    {
        if (maxBatch is < 1 or > MaxBatchLimit)
            throw new FeedException("invalid_batch", $"A webhook takes from 1 to {MaxBatchLimit} events a request, not {maxBatch}.");
        if (endpoint.Scheme is not ("https" or "http"))
            throw new FeedException("invalid_endpoint", $"A webhook endpoint must be an http or https URL, not '{endpoint}'.");
        endpoints.Check(endpoint);
        if (scope.EventTypes.Count == 0)
            throw new FeedException("invalid_filter", "A webhook needs at least one event type or pattern (e.g. 'prescription.*').");
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var command = dataSource.CreateCommand(
            $"""
            insert into feeds.webhook_subscriptions (id, integrator_id, endpoint, secret, event_types, institutions, clear_identifiers, position, max_batch)
            values ($1, $2, $3, $4, $5, $6, $7, coalesce($8, (select coalesce(max(sequence), 0) from eventstore.global_log)), $9)
            returning position, pg_notify('{WebhookDispatcher.ChangedChannel}', '')
            """);
        var id = Guid.CreateVersion7();
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = integratorId });
        command.Parameters.Add(new() { Value = endpoint.ToString() });
        command.Parameters.Add(new() { Value = secret });
        command.Parameters.Add(new() { Value = scope.EventTypes.ToArray() });
        command.Parameters.Add(new() { Value = scope.Institutions.ToArray() });
        command.Parameters.Add(new() { Value = scope.ClearIdentifiers });
        command.Parameters.Add(new() { Value = (object?)fromSequence ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = maxBatch });
        var position = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return (new WebhookSubscription(id, integratorId, endpoint.ToString(), scope, "active", position, 0, null, maxBatch, 0), secret);
    }

    public Task PauseAsync(Guid id, CancellationToken cancellationToken = default) => SetAsync(id, "status = 'paused'", null, cancellationToken);

    public Task ResumeAsync(Guid id, CancellationToken cancellationToken = default) =>
        SetAsync(id, "status = 'active', next_attempt_at = null", null, cancellationToken);

    /// <summary>Delivers again every event after <paramref name="afterSequence"/> (at least once means a receiver dedupes by event id).</summary>
    public Task ReplayFromAsync(Guid id, long afterSequence, CancellationToken cancellationToken = default) =>
        SetAsync(id, "position = $2, attempts = 0, next_attempt_at = null, replays = replays + 1", afterSequence, cancellationToken);

    /// <summary>Changes a subscription and tells the leading dispatcher, so that a resume or a replay takes effect at once.</summary>
    private async Task SetAsync(Guid id, string assignments, long? value, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"update feeds.webhook_subscriptions set {assignments} where id = $1 returning pg_notify('{WebhookDispatcher.ChangedChannel}', '')");
        command.Parameters.Add(new() { Value = id });
        if (value is { } v) command.Parameters.Add(new() { Value = v });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new FeedException("unknown_subscription", $"There is no webhook subscription {id}.");
    }

    public Task<IReadOnlyList<WebhookSubscription>> ListAsync(string? integratorId = null, CancellationToken cancellationToken = default) =>
        QueryAsync("$1::text is null or integrator_id = $1", new() { Value = (object?)integratorId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }, cancellationToken);

    public async Task<WebhookSubscription?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await QueryAsync("id = $1", new() { Value = id }, cancellationToken)).SingleOrDefault();

    private async Task<IReadOnlyList<WebhookSubscription>> QueryAsync(string condition, NpgsqlParameter parameter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            select id, integrator_id, endpoint, event_types, institutions, clear_identifiers, status, position, attempts, next_attempt_at, max_batch, replays
            from feeds.webhook_subscriptions where {condition} order by created_at
            """);
        command.Parameters.Add(parameter);
        var list = new List<WebhookSubscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new WebhookSubscription(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                new FeedScope(reader.GetFieldValue<string[]>(3), reader.GetFieldValue<string[]>(4), reader.GetBoolean(5)),
                reader.GetString(6), reader.GetInt64(7), reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetDateTime(9), reader.GetInt32(10), reader.GetInt32(11)));
        }
        return list;
    }

    internal async Task<string> SecretAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select secret from feeds.webhook_subscriptions where id = $1");
        command.Parameters.Add(new() { Value = id });
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "select sequence, event_id, attempt, delivered, status_code, error, duration_ms from feeds.webhook_deliveries where subscription_id = $1 order by id");
        command.Parameters.Add(new() { Value = id });
        var list = new List<WebhookDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new WebhookDelivery(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6)));
        return list;
    }

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "select sequence, event_id, attempts, last_error from feeds.webhook_dead_letters where subscription_id = $1 order by sequence");
        command.Parameters.Add(new() { Value = id });
        var list = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new DeadLetter(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3)));
        return list;
    }
}

/// <summary>
/// The signature a receiver checks: <c>webhook-signature: v1,base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))</c>,
/// with <c>webhook-id</c> (the event's id; a batch's first and last sequence numbers) and <c>webhook-timestamp</c>
/// (Unix seconds) beside it, so a replayed or altered request is detected.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    public static bool Verify(string secret, string id, long timestamp, ReadOnlySpan<byte> body, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, id, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}

/// <summary>A typed feed error: a stable code and a sentence.</summary>
public sealed class FeedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
