using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Records.EventStore.Hashing;

namespace Records.EventStore.Sequencing;

/// <summary>
/// Gives committed events their global sequence number: gap-free, in one total order, and extends
/// the global hash chain over that order.
/// <para>
/// Concurrent transactions commit out of order, so numbering events as they are inserted would let a
/// reader pass over an event that commits later. Instead, an event is numbered only once its
/// transaction has committed: once a fresh snapshot sees it. Each batch numbers every committed event
/// not numbered yet, in (transaction id, insertion) order; a transaction still running holds back no
/// one, and is numbered in a later batch when it commits. The order is decided by the database, not
/// by a clock, and a rolled-back append simply never appears.
/// </para>
/// <para>
/// One sequencer leads per database (a session advisory lock); the others wait to take over. It
/// wakes on the appends' notifications, keeps its position only in the log itself, and so survives
/// restarts without skipping or repeating.
/// </para>
/// <para>
/// Given its process's <see cref="LogTail"/>, it hands the tail each batch it numbers, read in the
/// numbering's own round trip: the tail then need not wake on the notification and read the batch back.
/// </para>
/// </summary>
public sealed class Sequencer : IAsyncDisposable
{
    /// <summary>The channel the sequencer notifies with the new head after each batch.</summary>
    public const string SequencedChannel = "eventstore_sequenced";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ChainAlgorithm _algorithm;
    private readonly SequencerOptions _options;
    private readonly LogTail? _tail;
    private readonly string _numberStatement;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;

    /// <param name="tail">This process's log tail, if it has one: it is handed each batch as it is numbered.</param>
    public Sequencer(NpgsqlDataSource dataSource, ChainAlgorithm? algorithm = null, SequencerOptions? options = null, LogTail? tail = null)
    {
        _dataSource = dataSource;
        _algorithm = algorithm ?? ChainAlgorithm.Sha256;
        _options = options ?? new SequencerOptions();
        _tail = tail;
        const string insert = """
            insert into eventstore.global_log (sequence, event_row, hash_algorithm, chain_hash, transaction_floor)
            select s, r, $3, h, $5::text::xid8 from unnest($1::bigint[], $2::bigint[], $4::bytea[]) as x(s, r, h)
            """;
        // Read back by the numbering statement itself, the events cost the tail no round trip and no query of its own.
        _numberStatement = tail is null ? insert : $"""
            with numbered as ({insert} returning sequence, event_row)
            select {PostgresEventStore.EventColumns}, n.sequence
            from numbered n join eventstore.events e on e.id = n.event_row
            order by n.sequence
            """;
    }

    /// <summary>Whether this instance holds the leader lock now.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>The last sequence number this instance assigned or found.</summary>
    public long Head { get; private set; }

    /// <summary>Raised after each committed batch, with the new head.</summary>
    public event Action<long>? Sequenced;

    public void Start() => _running ??= Task.Run(() => RunAsync(_stopping.Token));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_running is not null)
        {
            try { await _running; }
            catch (OperationCanceledException) { }
        }
        _stopping.Dispose();
    }

    // A broken connection (the server restarted, the backend was terminated) starts the round over.
    private Task RunAsync(CancellationToken stopping) => ChannelListener.LeadUntilStoppedAsync(
        _dataSource, PostgresEventStore.AppendedChannel, AdvisoryLocks.SequencerLeader, _options.FollowerPollInterval, LeadAsync,
        e => e is NpgsqlException or InvalidOperationException or System.IO.IOException, _options.OnError, _options.RetryDelay, stopping);

    private async Task LeadAsync(ChannelListener listener, CancellationToken stopping)
    {
        IsLeader = true;
        _tail?.Lead(listener.Connection.ProcessID);
        try
        {
            await NumberAsync(listener, stopping);
        }
        finally
        {
            IsLeader = false;
            _tail?.Lead(null);
        }
    }

    private async Task NumberAsync(ChannelListener listener, CancellationToken stopping)
    {
        var connection = listener.Connection;
        var position = await ReadPositionAsync(connection, stopping);
        Head = position.Sequence;
        // Busy: holding the busy lock, so appenders do not notify; every busy spell ends with a look
        // taken after the lock is let go, which sees whatever an append committed while it was held.
        var busy = false;
        listener.Reset();
        var found = await FindAsync(connection, position, prelude: null, stopping);
        while (!stopping.IsCancellationRequested)
        {
            if (found.Rows.Count > 0)
            {
                // While events keep coming, each round trip numbers one batch and finds the next.
                listener.Reset();
                (position, var numbered, found) = await NumberAndFindAsync(connection, position, found, busy ? null : Lock(true), stopping);
                busy = true;
                Head = position.Sequence;
                if (numbered is not null) _tail!.Numbered(numbered);
                Sequenced?.Invoke(Head);
                continue;
            }
            position = position with { TransactionFloor = FloorAfter(found, position.TransactionFloor) };
            if (busy)
            {
                listener.Reset();
                found = await FindAsync(connection, position, Lock(false), stopping);
                busy = false;
                continue;
            }
            await listener.WaitAsync(_options.IdleCheckInterval, stopping);
            listener.Reset();
            found = await FindAsync(connection, position, prelude: null, stopping);
        }
    }

    /// <summary>
    /// The floor once what <paramref name="found"/> holds is numbered. A look that is not full leaves nothing unnumbered
    /// below its snapshot's xmin, where every transaction has ended; a full one may leave events of its last transaction,
    /// or of lower ones that were still running (those are at or above the xmin). Only a batch records its floor: after
    /// an empty look a restart starts lower, which costs a longer first look and nothing else.
    /// </summary>
    private static ulong FloorAfter(Found found, ulong floor) =>
        found.Full ? Math.Min(found.Rows[^1].Transaction, found.Horizon) : Math.Max(floor, found.Horizon);

    private static NpgsqlBatchCommand Lock(bool take) =>
        new(take ? "select pg_advisory_lock($1)" : "select pg_advisory_unlock($1)") { Parameters = { new() { Value = AdvisoryLocks.SequencerBusy } } };

    /// <summary>
    /// Where numbering goes on: the last link of the global chain, and the floor: every committed event of a
    /// transaction below it is numbered (above it, some may be, of transactions that committed before older ones).
    /// </summary>
    private readonly record struct Position(long Sequence, byte[] ChainHash, ulong TransactionFloor);

    /// <summary>
    /// The next events to number, in order: committed, not numbered yet, at or above the floor; <paramref name="Horizon"/>,
    /// the snapshot's xmin, below which every transaction has ended; and whether the batch is full (more may be ready at once).
    /// </summary>
    private sealed record Found(List<(long Row, byte[] Hash, ulong Transaction)> Rows, ulong Horizon, bool Full);

    // The last link and where its batch left the floor. Batches numbered before floors were recorded numbered in
    // transaction order, so the last event's own transaction was theirs.
    private const string LastLink = """
        select g.sequence, g.chain_hash, coalesce(g.transaction_floor, e.tx_id) as floor
        from eventstore.global_log g join eventstore.events e on e.id = g.event_row
        order by g.sequence desc limit 1
        """;

    /// <summary>
    /// The committed events no sequencer has numbered yet: how many, and how long the oldest has waited since it was
    /// recorded (by the database's clock). They are at or above the last batch's floor: the events' transaction index finds them.
    /// </summary>
    public static async Task<(long Count, TimeSpan OldestWait)> ReadUnnumberedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            with last as ({LastLink})
            select count(*), coalesce(extract(epoch from clock_timestamp() - min(c.recorded_at)), 0)::float8
            from eventstore.events c
            where c.tx_id >= coalesce((select floor from last), '0'::xid8)
              and not exists (select 1 from eventstore.global_log g where g.event_row = c.id)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), TimeSpan.FromSeconds(reader.GetDouble(1)));
    }

    private static async Task<Position> ReadPositionAsync(NpgsqlConnection connection, CancellationToken stopping)
    {
        await using var command = new NpgsqlCommand($"select sequence, chain_hash, floor::text from ({LastLink}) last", connection);
        await using var reader = await command.ExecuteReaderAsync(stopping);
        return await reader.ReadAsync(stopping)
            ? new Position(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), ulong.Parse(reader.GetString(2), CultureInfo.InvariantCulture))
            : new Position(0, ChainAlgorithm.Genesis, 0);
    }

    /// <summary>Finds the next events to number, after <paramref name="prelude"/> (taking or letting go of the busy lock) if given.</summary>
    private async Task<Found> FindAsync(NpgsqlConnection connection, Position position, NpgsqlBatchCommand? prelude, CancellationToken stopping)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (prelude is not null) batch.BatchCommands.Add(prelude);
        batch.BatchCommands.Add(FindCommand(position.TransactionFloor));
        await using var reader = await batch.ExecuteReaderAsync(stopping);
        return await ReadFoundAsync(reader, stopping);
    }

    // One statement, one snapshot: the events it sees have committed. The anti-join skips those at or above the
    // floor that earlier batches numbered: of transactions that committed while an older one still ran, and the part
    // of a transaction that a full batch numbered. Below the snapshot's xmin every transaction has ended, so a batch
    // that is not full leaves nothing unnumbered there, and the xmin becomes the floor; the look then reads only the
    // events of the last moments, not the whole log. The bound above (the snapshot's xmax: no transaction it sees is
    // at or above it) changes nothing found, but tells the planner it reads a range: with only the floor, while the
    // table's statistics are young, it planned a scan of the whole log.
    internal const string FindStatement = """
        with horizon as (select pg_snapshot_xmin(s) as xmin, pg_snapshot_xmax(s) as xmax from pg_current_snapshot() s)
        select e.id, e.hash, e.tx_id::text, h.xmin::text
        from horizon h
        left join lateral (
            select c.id, c.hash, c.tx_id from eventstore.events c
            where c.tx_id >= $1::text::xid8 and c.tx_id < h.xmax
              and not exists (select 1 from eventstore.global_log g where g.event_row = c.id)
            order by c.tx_id, c.id
            limit $2) e on true
        """;

    private NpgsqlBatchCommand FindCommand(ulong transactionFloor) => new(FindStatement)
    {
        Parameters =
        {
            new() { Value = transactionFloor.ToString(CultureInfo.InvariantCulture) },
            new() { Value = _options.BatchSize },
        },
    };

    /// <summary>Moves <paramref name="reader"/> to the next result whose first column is <paramref name="column"/>, past those of the statements before it.</summary>
    private static async Task SkipToResultAsync(NpgsqlDataReader reader, string column, CancellationToken stopping)
    {
        while (reader.FieldCount == 0 || reader.GetName(0) != column)
        {
            if (!await reader.NextResultAsync(stopping)) throw new InvalidOperationException($"The sequencer's batch returned no result starting with {column}.");
        }
    }

    /// <summary>Reads the find's result, the last of its batch (past those of a lock or a notify before it).</summary>
    private async Task<Found> ReadFoundAsync(NpgsqlDataReader reader, CancellationToken stopping)
    {
        await SkipToResultAsync(reader, "id", stopping);
        // Not sized for a full batch: under a steady load a look finds a few events, and a list of the batch size
        // for each (hundreds of looks a second) was a sixth of all the process allocated.
        var rows = new List<(long Row, byte[] Hash, ulong Transaction)>();
        ulong xmin = 0;
        while (await reader.ReadAsync(stopping))
        {
            xmin = ulong.Parse(reader.GetString(3), CultureInfo.InvariantCulture);
            if (!reader.IsDBNull(0))
                rows.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), ulong.Parse(reader.GetString(2), CultureInfo.InvariantCulture)));
        }
        return new Found(rows, xmin, rows.Count == _options.BatchSize);
    }

    /// <summary>Reads the numbered events, past the results of the statements before them.</summary>
    private static async Task<List<RecordedEvent>> ReadNumberedAsync(NpgsqlDataReader reader, int count, CancellationToken stopping)
    {
        await SkipToResultAsync(reader, "event_id", stopping);
        var events = new List<RecordedEvent>(count);
        while (await reader.ReadAsync(stopping)) events.Add(PostgresEventStore.ReadEvent(reader));
        return events;
    }

    /// <summary>
    /// Numbers the events found (after <paramref name="prelude"/> if given), and in the same round trip, after the commit,
    /// finds the next ones. With a tail to hand them to, the numbered events are read back too.
    /// </summary>
    private async Task<(Position, List<RecordedEvent>?, Found)> NumberAndFindAsync(NpgsqlConnection connection, Position position, Found found, NpgsqlBatchCommand? prelude, CancellationToken stopping)
    {
        var rows = found.Rows;
        var sequences = new long[rows.Count];
        var chain = new byte[rows.Count][];
        var previous = position.ChainHash;
        for (var i = 0; i < rows.Count; i++)
        {
            sequences[i] = position.Sequence + i + 1;
            chain[i] = EventHash.ForSequence(_algorithm, previous, sequences[i], rows[i].Hash);
            previous = chain[i];
        }
        var floor = FloorAfter(found, position.TransactionFloor);
        var numbered = new Position(sequences[^1], chain[^1], floor);

        // Number the batch and record its floor (where a restart looks from), tell the subscribers, commit; then look
        // again (a new statement, a new snapshot). The commit waits for its flush, even where the server's setting
        // says not to: a batch that a crash lost could not be numbered again the same way, since a transaction that
        // was running when it looked may have committed since, with a lower id than events the lost batch numbered.
        await using var write = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("begin"),
                new NpgsqlBatchCommand("select set_config('synchronous_commit', 'on', true) where current_setting('synchronous_commit') = 'off'"),
                new NpgsqlBatchCommand(_numberStatement)
                {
                    Parameters =
                    {
                        new() { Value = sequences },
                        new() { Value = rows.Select(r => r.Row).ToArray() },
                        new() { Value = _algorithm.Name },
                        new() { Value = chain, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea },
                        new() { Value = floor.ToString(CultureInfo.InvariantCulture) },
                    },
                },
                new NpgsqlBatchCommand($"select pg_notify('{SequencedChannel}', $1)")
                    { Parameters = { new() { Value = sequences[^1].ToString(CultureInfo.InvariantCulture) } } },
                new NpgsqlBatchCommand("commit"),
                FindCommand(numbered.TransactionFloor),
            },
        };
        if (prelude is not null) write.BatchCommands.Insert(0, prelude);
        try
        {
            await using var reader = await write.ExecuteReaderAsync(stopping);
            var events = _tail is null ? null : await ReadNumberedAsync(reader, rows.Count, stopping);
            return (numbered, events, await ReadFoundAsync(reader, stopping));
        }
        catch (PostgresException)
        {
            await using var rollback = new NpgsqlCommand("rollback", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
            throw;
        }
    }
}

public sealed record SequencerOptions
{
    /// <summary>At most this many events are numbered in one transaction.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>A safety net only: the sequencer wakes on notifications.</summary>
    public TimeSpan IdleCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a follower tries to take the lead.</summary>
    public TimeSpan FollowerPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Told of each error the sequencer recovers from (for logs).</summary>
    public Action<Exception>? OnError { get; init; }
}
