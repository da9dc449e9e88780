using System.Runtime.CompilerServices;
using System.Text;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Records.EventStore.Hashing;

namespace Records.EventStore;

/// <summary>
/// The event store on PostgreSQL: appends to streams with optimistic concurrency and idempotent
/// retries, extends each stream's hash chain, and reads streams and the global log.
/// Global sequence numbers are assigned afterwards by the <see cref="Sequencing.Sequencer"/>.
/// </summary>
public sealed class PostgresEventStore(NpgsqlDataSource dataSource, ChainAlgorithm? algorithm = null, InlineWork? inline = null)
{
    /// <summary>The channel appends notify on commit; the sequencer listens to it.</summary>
    public const string AppendedChannel = "eventstore_appended";

    internal const string EventColumns =
        "e.event_id, e.stream_id, e.stream_type, e.version, e.event_type, e.data::text, e.recorded_at, e.claimed_at, " +
        "e.actor_id, e.actor_role, e.actor_verified, e.institution_id, e.command_id, e.correlation_id, e.causation_id, " +
        "e.client_id, e.device_id, e.purpose_of_use, e.hash_algorithm, e.previous_hash, e.hash";

    // The events and, when there is a command id, the command's row, in one statement.
    private const string InsertEvents = """
        with appended as (
            insert into eventstore.events (event_id, stream_id, stream_type, version, event_type, data, recorded_at, claimed_at,
                actor_id, actor_role, actor_verified, institution_id, command_id, correlation_id, causation_id,
                client_id, device_id, purpose_of_use, hash_algorithm, previous_hash, hash)
            select e.event_id, $2, $3, e.version, e.event_type, e.data::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                e.previous_hash, e.hash
            from unnest($1::uuid[], $4::bigint[], $5::text[], $6::text[], $20::bytea[], $21::bytea[])
                as e(event_id, version, event_type, data, previous_hash, hash))
        insert into eventstore.commands (command_id, stream_id, first_version, last_version)
        select $13, $2, $22, $23 where $13::uuid is not null
        """;

    private readonly ChainAlgorithm _algorithm = algorithm ?? ChainAlgorithm.Sha256;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>
    /// Appends <paramref name="events"/> to one stream in one transaction. The stream is locked and
    /// its version checked before anything is written, so a writer that loses a race leaves no
    /// trace. A command id seen before returns the first append's result and writes nothing.
    /// </summary>
    /// <exception cref="ConcurrencyException">The stream is not at <paramref name="expected"/>.</exception>
    /// <exception cref="InvalidEventDataException">An event's data is not storable JSON.</exception>
    public async Task<AppendResult> AppendAsync(
        string streamId, string streamType, ExpectedVersion expected, IReadOnlyList<EventData> events, EventMetadata metadata,
        CancellationToken cancellationToken = default)
    {
        Validate(streamId, streamType, events);
        metadata = metadata with { ClaimedAt = metadata.ClaimedAt is { } claimed ? EventHash.ToStoredPrecision(claimed) : null };
        var canonical = events.Select(e => CanonicalJson.Canonicalize(e.Data.Span)).ToArray();

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAppendAsync(streamId, streamType, expected, events, canonical, metadata, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "commands_pkey" && attempt == 1)
            {
                // The same command id was appended concurrently to another stream and won: answer with its result.
            }
        }
    }

    private async Task<AppendResult> TryAppendAsync(
        string streamId, string streamType, ExpectedVersion expected, IReadOnlyList<EventData> events, byte[][] canonical,
        EventMetadata metadata, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            // Round trip 1: begin, lock the stream, then in one statement (a snapshot taken after
            // the lock) its head, the command's earlier result if any, and the clock. Nothing writes
            // before the lock: the transaction takes its id at its first write, so a stream's next
            // version has a higher one than the last, which the global order relies on.
            await using var head = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("begin"),
                    new NpgsqlBatchCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))") { Parameters = { new() { Value = streamId } } },
                    new NpgsqlBatchCommand(
                        """
                        select h.version, h.hash, h.recorded_at, c.stream_id, c.first_version, c.last_version, clock_timestamp()
                        from (select 1) as one
                        left join lateral (select version, hash, recorded_at from eventstore.events where stream_id = $1 order by version desc limit 1) h on true
                        left join eventstore.commands c on c.command_id = $2
                        """)
                    {
                        Parameters =
                        {
                            new() { Value = streamId },
                            new() { Value = (object?)metadata.CommandId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
                        },
                    },
                },
            };
            long actual = 0;
            var previousHash = ChainAlgorithm.Genesis;
            Instant? previousRecordedAt = null;
            (string Stream, long First, long Last)? earlier = null;
            Instant clock;
            await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
            {
                await reader.NextResultAsync(cancellationToken); // past the lock
                await reader.ReadAsync(cancellationToken);
                if (!reader.IsDBNull(0))
                {
                    actual = reader.GetInt64(0);
                    previousHash = reader.GetFieldValue<byte[]>(1);
                    previousRecordedAt = ReadInstant(reader, 2);
                }
                if (!reader.IsDBNull(3))
                    earlier = (reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5));
                clock = ReadInstant(reader, 6);
            }

            if (earlier is { } first)
            {
                await Rollback(connection);
                return await ReadAppendResultAsync(first.Stream, first.First, first.Last, cancellationToken);
            }
            if (!expected.Accepts(actual))
            {
                await Rollback(connection);
                throw new ConcurrencyException(streamId, expected, actual);
            }

            // A stream's recorded times never go backwards, even if the server's clock does.
            var recordedAt = previousRecordedAt is { } last && last > clock ? last : clock;
            var ids = new Guid[events.Count];
            var versions = new long[events.Count];
            var previousHashes = new byte[events.Count][];
            var hashes = new byte[events.Count][];
            for (var i = 0; i < events.Count; i++)
            {
                ids[i] = events[i].EventId ?? Guid.CreateVersion7();
                versions[i] = actual + i + 1;
                previousHashes[i] = previousHash;
                hashes[i] = EventHash.ForEvent(_algorithm, previousHash, ids[i], streamId, streamType, versions[i], events[i].EventType,
                    canonical[i], recordedAt, metadata);
                previousHash = hashes[i];
            }

            // Round trip 2: write the events and the command, commit, wake the sequencer.
            await using var write = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(InsertEvents)
                    {
                        Parameters =
                        {
                            new() { Value = ids },
                            new() { Value = streamId },
                            new() { Value = streamType },
                            new() { Value = versions },
                            new() { Value = events.Select(e => e.EventType).ToArray() },
                            new() { Value = canonical.Select(Encoding.UTF8.GetString).ToArray() },
                            Timestamp(recordedAt),
                            Timestamp(metadata.ClaimedAt),
                            Text(metadata.Actor?.Id),
                            Text(metadata.Actor?.Role),
                            new() { Value = (object?)metadata.Actor?.RealNameVerified ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean },
                            Text(metadata.InstitutionId),
                            Uuid(metadata.CommandId),
                            Uuid(metadata.CorrelationId),
                            Uuid(metadata.CausationId),
                            Text(metadata.ClientId),
                            Text(metadata.DeviceId),
                            Text(metadata.PurposeOfUse),
                            new() { Value = _algorithm.Name },
                            new() { Value = previousHashes },
                            new() { Value = hashes },
                            new() { Value = versions[0] },
                            new() { Value = versions[^1] },
                        },
                    },
                },
            };
            if (inline is null) write.BatchCommands.Add(new NpgsqlBatchCommand("commit"));
            // Notify after the commit, in a transaction of its own: a notifying commit holds a
            // database-wide lock until its flush ends, which would serialise every append's flush.
            // And only if the sequencer is not busy: then it is certain to look again after this
            // commit (see AdvisoryLocks.SequencerBusy), and a notification would only wake every listener.
            // Nothing durable rides on the notification, so its commit need not wait for a flush.
            var notify = new NpgsqlBatchCommand(
                $"select pg_notify('{AppendedChannel}', ''), set_config('synchronous_commit', 'off', true) where pg_try_advisory_xact_lock_shared($1)")
                { Parameters = { new() { Value = AdvisoryLocks.SequencerBusy } } };
            if (inline is null) write.BatchCommands.Add(notify);
            await write.ExecuteNonQueryAsync(cancellationToken);
            if (inline is not null)
            {
                var recorded = ids.Select((id, i) => new RecordedEvent(id, streamId, streamType, versions[i], events[i].EventType,
                    Encoding.UTF8.GetString(canonical[i]), recordedAt, metadata, _algorithm.Name, previousHashes[i], hashes[i], Sequence: null)).ToList();
                await inline(connection, recorded, cancellationToken);
                await using var commit = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand("commit"), notify } };
                await commit.ExecuteNonQueryAsync(cancellationToken);
            }
            return new AppendResult(streamId, versions[^1], recordedAt,
                ids.Select((id, i) => new AppendedEvent(id, versions[i], hashes[i])).ToList(), Replayed: false);
        }
        catch (Exception e) when (e is not ConcurrencyException)
        {
            await Rollback(connection);
            throw;
        }
    }

    private static async Task Rollback(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        await using var rollback = new NpgsqlCommand("rollback", connection);
        await rollback.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static NpgsqlParameter Timestamp(Instant? value) =>
        new() { Value = value is { } instant ? instant.ToDateTimeUtc() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    internal static Instant ReadInstant(NpgsqlDataReader reader, int ordinal) => Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(ordinal));

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Uuid(Guid? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static void Validate(string streamId, string streamType, IReadOnlyList<EventData> events)
    {
        if (string.IsNullOrWhiteSpace(streamId))
            throw new EventStoreException("invalid_stream_id", "A stream id must not be empty.");
        if (string.IsNullOrWhiteSpace(streamType))
            throw new EventStoreException("invalid_stream_type", "A stream type must not be empty.");
        if (events.Count == 0)
            throw new EventStoreException("no_events", "An append needs at least one event.");
        if (events.Any(e => string.IsNullOrWhiteSpace(e.EventType)))
            throw new EventStoreException("invalid_event_type", "Every event needs a type name.");
    }

    private async Task<AppendResult> ReadAppendResultAsync(string streamId, long first, long last, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "select event_id, version, hash, recorded_at from eventstore.events where stream_id = $1 and version between $2 and $3 order by version");
        command.Parameters.Add(new() { Value = streamId });
        command.Parameters.Add(new() { Value = first });
        command.Parameters.Add(new() { Value = last });
        var appended = new List<AppendedEvent>();
        Instant recordedAt = default;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            appended.Add(new AppendedEvent(reader.GetGuid(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
            recordedAt = ReadInstant(reader, 3);
        }
        return new AppendResult(streamId, last, recordedAt, appended, Replayed: true);
    }

    /// <summary>Reads a stream forward from <paramref name="fromVersion"/>, or backward from it (default: the end).</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(
        string streamId, ReadDirection direction = ReadDirection.Forward, long? fromVersion = null, int maxCount = int.MaxValue,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var forward = direction == ReadDirection.Forward;
        await using var command = DataSource.CreateCommand(
            $"""
            select {EventColumns}, g.sequence
            from eventstore.events e left join eventstore.global_log g on g.event_row = e.id
            where e.stream_id = $1 and e.version {(forward ? ">=" : "<=")} $2
            order by e.version {(forward ? "asc" : "desc")} limit $3
            """);
        command.Parameters.Add(new() { Value = streamId });
        command.Parameters.Add(new() { Value = fromVersion ?? (forward ? 1 : long.MaxValue) });
        command.Parameters.Add(new() { Value = (long)maxCount });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return ReadEvent(reader);
    }

    /// <summary>
    /// Folds a stream from its first event, optionally only up to a version and/or up to an
    /// instant (the events recorded at or before it): the stream as it stood then.
    /// </summary>
    public async Task<(T State, long Version)> AggregateStreamAsync<T>(
        string streamId, T seed, Func<T, RecordedEvent, T> evolve, long? upToVersion = null, Instant? asOf = null,
        CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(
            $"""
            select {EventColumns}, null::bigint
            from eventstore.events e
            where e.stream_id = $1 and e.version <= $2 and e.recorded_at <= $3
            order by e.version
            """);
        command.Parameters.Add(new() { Value = streamId });
        command.Parameters.Add(new() { Value = upToVersion ?? long.MaxValue });
        command.Parameters.Add(Timestamp(asOf ?? Instant.FromUtc(9999, 12, 31, 0, 0)));
        var state = seed;
        long version = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var recorded = ReadEvent(reader);
            state = evolve(state, recorded);
            version = recorded.Version;
        }
        return (state, version);
    }

    /// <summary>Reads the global log after <paramref name="afterSequence"/>, in sequence order.</summary>
    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterSequence, int maxCount, CancellationToken cancellationToken = default) =>
        ReadAllAsync(afterSequence, maxCount, EventParts.All, cancellationToken);

    /// <summary>
    /// As <see cref="ReadAllAsync(long, int, CancellationToken)"/>, reading only the <paramref name="parts"/>
    /// a consumer uses besides each event's identity, type, data and times: without them a read of the
    /// log takes about half the time (a view's rebuild reads all of it). Events read without
    /// <see cref="EventParts.Metadata"/> carry empty metadata; without <see cref="EventParts.Chain"/>, an
    /// empty hash algorithm and empty hashes.
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterSequence, int maxCount, EventParts parts, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(
            $"""
            select {ColumnsOf(parts)}, g.sequence
            from eventstore.global_log g join eventstore.events e on e.id = g.event_row
            where g.sequence > $1
            order by g.sequence limit $2
            """);
        command.Parameters.Add(new() { Value = afterSequence });
        command.Parameters.Add(new() { Value = (long)maxCount });
        var events = new List<RecordedEvent>(Math.Min(maxCount, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) events.Add(ReadEvent(reader));
        return events;
    }

    // The parts left out are read as nulls and empty values in their places, so that ReadEvent reads every row alike.
    private static string ColumnsOf(EventParts parts) => parts switch
    {
        EventParts.All => EventColumns,
        _ => "e.event_id, e.stream_id, e.stream_type, e.version, e.event_type, e.data::text, e.recorded_at, " +
            (parts.HasFlag(EventParts.Metadata)
                ? "e.claimed_at, e.actor_id, e.actor_role, e.actor_verified, e.institution_id, e.command_id, e.correlation_id, e.causation_id, e.client_id, e.device_id, e.purpose_of_use, "
                : "null::timestamptz, null::text, null::text, null::boolean, null::text, null::uuid, null::uuid, null::uuid, null::text, null::text, null::text, ") +
            (parts.HasFlag(EventParts.Chain) ? "e.hash_algorithm, e.previous_hash, e.hash" : "'', ''::bytea, ''::bytea"),
    };

    /// <summary>
    /// The global log after <paramref name="afterSequence"/> (a consumer's checkpoint): first what
    /// is there, then each event as the sequencer numbers it, woken by its notifications. Every
    /// event comes once, in sequence order.
    /// </summary>
    public async IAsyncEnumerable<RecordedEvent> SubscribeAsync(
        long afterSequence, int batchSize = 500, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in SubscribeBatchesAsync(afterSequence, batchSize, cancellationToken))
        {
            foreach (var recorded in batch) yield return recorded;
        }
    }

    /// <summary>
    /// As <see cref="SubscribeAsync"/>, a batch at a time (never empty), for consumers that
    /// commit their work and their checkpoint together; with only the <paramref name="parts"/> of
    /// events they use (see <see cref="ReadAllAsync(long, int, EventParts, CancellationToken)"/>).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<RecordedEvent>> SubscribeBatchesAsync(
        long afterSequence, int batchSize = 500, [EnumeratorCancellation] CancellationToken cancellationToken = default, EventParts parts = EventParts.All)
    {
        // Listen before catching up, so that nothing numbered meanwhile goes unnoticed.
        await using var listener = await Sequencing.ChannelListener.OpenAsync(DataSource, Sequencing.Sequencer.SequencedChannel, cancellationToken);
        var position = afterSequence;
        while (true)
        {
            listener.Reset();
            var batch = await ReadAllAsync(position, batchSize, parts, cancellationToken);
            if (batch.Count > 0)
            {
                yield return batch;
                position = batch[^1].Sequence!.Value;
            }
            if (batch.Count < batchSize) await listener.WaitAsync(SubscriptionIdleCheck, cancellationToken);
        }
    }

    /// <summary>A safety net only: subscriptions wake on the sequencer's notifications.</summary>
    private static readonly TimeSpan SubscriptionIdleCheck = TimeSpan.FromSeconds(5);

    /// <summary>The last assigned global sequence number (0 when none).</summary>
    public async Task<long> ReadHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand("select coalesce(max(sequence), 0) from eventstore.global_log");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    internal static RecordedEvent ReadEvent(NpgsqlDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        Guid? Uuid(int i) => reader.IsDBNull(i) ? null : reader.GetGuid(i);
        var metadata = new EventMetadata
        {
            ClaimedAt = reader.IsDBNull(7) ? null : ReadInstant(reader, 7),
            Actor = reader.IsDBNull(8) ? null : new Actor(reader.GetString(8), Text(9) ?? "", !reader.IsDBNull(10) && reader.GetBoolean(10)),
            InstitutionId = Text(11),
            CommandId = Uuid(12),
            CorrelationId = Uuid(13),
            CausationId = Uuid(14),
            ClientId = Text(15),
            DeviceId = Text(16),
            PurposeOfUse = Text(17),
        };
        return new RecordedEvent(
            reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
            ReadInstant(reader, 6), metadata, reader.GetString(18), reader.GetFieldValue<byte[]>(19), reader.GetFieldValue<byte[]>(20),
            reader.IsDBNull(21) ? null : reader.GetInt64(21));
    }
}

/// <summary>
/// Work done inside an append's own transaction once its events are written, such as an inline
/// projection that must be current when the append returns. If it throws, nothing is appended.
/// </summary>
public delegate Task InlineWork(NpgsqlConnection connection, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken);

/// <summary>What a read of the log returns besides each event's identity, type, data and times.</summary>
[Flags]
public enum EventParts
{
    None = 0,

    /// <summary>The <see cref="EventMetadata"/>: actor, institution, claimed time, command and correlation ids, client, device, purpose of use.</summary>
    Metadata = 1,

    /// <summary>The hash chain: algorithm, previous hash, hash.</summary>
    Chain = 2,

    All = Metadata | Chain,
}

public enum ReadDirection
{
    Forward,
    Backward,
}
