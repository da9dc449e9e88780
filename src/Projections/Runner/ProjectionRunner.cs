using System.Data;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Npgsql;
using Records.EventStore;
using Records.EventStore.Migrations;
using Records.EventStore.Sequencing;

namespace Records.Projections.Runner;

/// <summary>
/// Keeps views current from the global log. Each view has its own checkpoint: it follows the log in
/// sequence order from there and writes its rows and its checkpoint in one transaction, so a crash
/// never applies an event twice or skips one. The views started together follow the log together:
/// each batch of the log is applied to all of them in one transaction, each from its own checkpoint
/// (a commit and a round trip for all, not one per view). A batch that fails together is applied
/// to each view alone, and an event a view cannot apply stops that view (with the event and the
/// error in its status) while the others go on. The views read the live end of the log from one
/// shared <see cref="LogTail"/> and take, when ready for more, everything that came meanwhile:
/// under load they write fewer, larger batches instead of one per batch the sequencer numbers.
/// </summary>
public sealed partial class ProjectionRunner : IAsyncDisposable
{
    public static readonly Meter Meter = new("Records.Projections");
    private static readonly Counter<long> EventsApplied = Meter.CreateCounter<long>("records.projection.events_applied", description: "Events applied to views");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("records.projection.lag", "ms", "From an event's recorded time to its being visible in a view");

    private readonly PostgresEventStore _store;
    private readonly IReadOnlyList<IProjection> _projections;
    private readonly IReadOnlyList<IProjection> _inline;
    private readonly ProjectionRunnerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, Task> _running = [];
    private readonly LogTail _tail;
    private readonly bool _ownsTail;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _positions = [];
    private TaskCompletionSource _moved = NewSignal();

    /// <param name="projections">Views kept current in the background.</param>
    /// <param name="inline">Views written inside each append's transaction (see <see cref="Inline"/>); the runner rebuilds them.</param>
    /// <param name="tail">The process's log tail, shared with its other readers (and fed by its sequencer); without it, the runner keeps one of its own.</param>
    public ProjectionRunner(
        PostgresEventStore store, IEnumerable<IProjection> projections, IEnumerable<IProjection>? inline = null, ProjectionRunnerOptions? options = null,
        LogTail? tail = null)
    {
        _store = store;
        _projections = projections.ToList();
        _inline = (inline ?? []).ToList();
        _options = options ?? new ProjectionRunnerOptions();
        _ownsTail = tail is null;
        _tail = tail ?? new LogTail(store, new LogTailOptions { OnError = e => _options.OnError?.Invoke("(the log's tail)", e) });
        foreach (var projection in _projections.Concat(_inline))
        {
            if (!ValidName().IsMatch(projection.Name))
                throw new ArgumentException($"'{projection.Name}' is not a view name: use lower-case letters, digits and underscores.");
        }
    }

    private NpgsqlDataSource DataSource => _store.DataSource;

    /// <summary>Creates the checkpoint table; run as an administrator, after the event store's migrations.</summary>
    public static Task MigrateAsync(NpgsqlDataSource adminDataSource, CancellationToken cancellationToken = default) =>
        Migrator.ApplyAsync(adminDataSource, "projections", Migration.FromResources(typeof(ProjectionRunner).Assembly), cancellationToken);

    /// <summary>
    /// The work that keeps <paramref name="inline"/> views current inside each append's transaction:
    /// give it to the <see cref="PostgresEventStore"/>. While such a view is being swapped after a
    /// rebuild, appends wait a moment (a shared lock against the swap's exclusive one).
    /// </summary>
    public static InlineWork Inline(IReadOnlyList<IProjection> inline) => async (connection, events, cancellationToken) =>
    {
        foreach (var projection in inline)
        {
            await using (var share = new NpgsqlCommand("select pg_advisory_xact_lock_shared(hashtextextended($1, 1))", connection))
            {
                share.Parameters.Add(new() { Value = projection.Name });
                await share.ExecuteNonQueryAsync(cancellationToken);
            }
            await ApplyNowAsync(projection, connection, projection.Name, events, cancellationToken);
        }
    };

    /// <summary>Creates missing views (rebuilding those whose layout version changed) and starts keeping them current.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var projection in _inline)
        {
            if (!await IsCurrentAsync(projection, ProjectionState.Inline, cancellationToken))
                await RebuildAsync(projection.Name, _options.RebuildProgress, cancellationToken);
        }
        if (_projections.Count == 0) return;
        await _tail.StartAsync(cancellationToken);
        var stale = new List<IProjection>();
        foreach (var projection in _projections)
        {
            if (!await IsCurrentAsync(projection, ProjectionState.Running, cancellationToken)) stale.Add(projection);
        }
        // The views already current follow the log at once, together; those built now, together once all are.
        StartLoop(_projections.Except(stale).ToList());
        foreach (var projection in stale)
            await RebuildAsync(projection.Name, _options.RebuildProgress, cancellationToken);
        StartLoop(stale);
    }

    /// <summary>Starts following the log for those of <paramref name="projections"/> that no loop follows it for.</summary>
    private void StartLoop(IReadOnlyList<IProjection> projections)
    {
        lock (_running)
        {
            var idle = projections.Where(p => !_running.TryGetValue(p.Name, out var running) || running.IsCompleted).ToList();
            if (idle.Count == 0) return;
            var loop = Task.Run(() => RunAsync(idle, _stopping.Token));
            foreach (var projection in idle) _running[projection.Name] = loop;
        }
    }

    /// <summary>
    /// Marks <paramref name="projection"/>, which stopped, as followed by no loop, so that a rebuild starts one; and starts
    /// one if a rebuild has already set it running again (it found the view followed, and started none).
    /// </summary>
    private async Task LeaveLoopAsync(IProjection projection, CancellationToken stopping)
    {
        lock (_running) _running[projection.Name] = Task.CompletedTask;
        if (await ReadCheckpointAsync(projection.Name, stopping) is { State: ProjectionState.Running }) StartLoop([projection]);
    }

    /// <summary>Whether the view is built at its layout's version (false: it must be rebuilt).</summary>
    private async Task<bool> IsCurrentAsync(IProjection projection, string state, CancellationToken cancellationToken)
    {
        var checkpoint = await ReadCheckpointAsync(projection.Name, cancellationToken);
        if (checkpoint is null || checkpoint.Version != projection.Version) return false;
        if (checkpoint.State != state && checkpoint.State != ProjectionState.Failed)
            throw new InvalidOperationException($"View '{projection.Name}' is registered as {state} but was kept {checkpoint.State}; rebuild it.");
        return true;
    }

    /// <summary>
    /// Follows the log for <paramref name="projections"/> until stopped: from the earliest of their checkpoints,
    /// each batch applied to every view to the events after its own. A view that stops leaves the loop.
    /// </summary>
    private async Task RunAsync(IReadOnlyList<IProjection> projections, CancellationToken stopping)
    {
        var following = projections.ToList();
        while (!stopping.IsCancellationRequested && following.Count > 0)
        {
            try
            {
                var positions = new Dictionary<IProjection, long>();
                foreach (var projection in following.ToList())
                {
                    var checkpoint = await ReadCheckpointAsync(projection.Name, stopping);
                    if (checkpoint is not null) Moved(projection.Name, checkpoint.Position);
                    if (checkpoint is null || checkpoint.State == ProjectionState.Failed)
                    {
                        following.Remove(projection);
                        await LeaveLoopAsync(projection, stopping);
                    }
                    else positions[projection] = checkpoint.Position;
                }
                if (following.Count == 0) return;
                // A connection of the loop's own: its statements stay prepared, and none is reset between batches.
                await using var connection = await DataSource.OpenConnectionAsync(stopping);
                await foreach (var batch in _tail.SubscribeBatchesAsync(positions.Values.Min(), _options.BatchSize, stopping))
                {
                    var slices = following
                        .Select(p => new Slice(p, positions[p], batch.Where(e => e.Sequence > positions[p]).ToList()))
                        .Where(slice => slice.Events.Count > 0).ToList();
                    if (slices.Count == 0) continue;
                    var stopped = await ApplyOrStopAsync(connection, slices, stopping);
                    foreach (var slice in slices) positions[slice.Projection] = slice.Events[^1].Sequence!.Value;
                    foreach (var projection in stopped)
                    {
                        following.Remove(projection);
                        await LeaveLoopAsync(projection, stopping);
                    }
                    if (following.Count == 0) return;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is LostRaceException || e is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected })
            {
                // Another writer (a rebuild's swap, another process) moved a checkpoint, or wrote the same rows in
                // another order and the server chose this transaction to undo: go on from where the checkpoints are now.
            }
            catch (Exception e)
            {
                // A lost connection, a server restarting, a refused login, a callback that threw: every view the loop
                // follows waits with it, so it is told and goes on from the checkpoints after a pause.
                foreach (var projection in following) _options.OnError?.Invoke(projection.Name, e);
                await Task.Delay(_options.RetryDelay, stopping);
            }
        }
    }

    /// <summary>
    /// The items of <paramref name="source"/>, each time already asking for the next one before the
    /// caller works on this one: a rebuild reads the next batch of the log while it applies this one.
    /// </summary>
    private static async IAsyncEnumerable<T> ReadAhead<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var items = source.GetAsyncEnumerator(stop.Token);
        var next = items.MoveNextAsync().AsTask();
        try
        {
            while (await next)
            {
                var current = items.Current;
                next = items.MoveNextAsync().AsTask();
                yield return current;
            }
        }
        finally
        {
            // The caller stopped early: end the read in flight before letting go of the source.
            await stop.CancelAsync();
            try { await next; }
            catch (Exception) when (stop.IsCancellationRequested) { }
            await items.DisposeAsync();
        }
    }

    /// <summary>The events of a batch of the log that a view has not applied yet: those after <paramref name="From"/>, its checkpoint.</summary>
    private sealed record Slice(IProjection Projection, long From, IReadOnlyList<RecordedEvent> Events);

    /// <summary>
    /// Applies <paramref name="slices"/> together; if that fails, each alone, so that only a view with an event
    /// it cannot apply stops. Returns the views that stopped.
    /// </summary>
    private async Task<IReadOnlyList<IProjection>> ApplyOrStopAsync(NpgsqlConnection connection, IReadOnlyList<Slice> slices, CancellationToken stopping)
    {
        if (slices.Count == 1) return await ApplyOrStopAsync(connection, slices[0], stopping) ? [] : [slices[0].Projection];
        try
        {
            await ApplyAsync(connection, slices, stopping);
            return [];
        }
        catch (Exception e) when (FailsTheBatch(e))
        {
            var stopped = new List<IProjection>();
            foreach (var slice in slices)
            {
                if (!await ApplyOrStopAsync(connection, slice, stopping)) stopped.Add(slice.Projection);
            }
            return stopped;
        }
    }

    /// <summary>Applies one view's slice; if it fails, finds the event that fails on its own and stops the view there (false).</summary>
    private async Task<bool> ApplyOrStopAsync(NpgsqlConnection connection, Slice slice, CancellationToken stopping)
    {
        try
        {
            await ApplyAsync(connection, [slice], stopping);
            return true;
        }
        catch (Exception e) when (FailsTheBatch(e))
        {
            var position = slice.From;
            foreach (var recorded in slice.Events)
            {
                try
                {
                    await ApplyAsync(connection, [slice with { From = position, Events = [recorded] }], stopping);
                    position = recorded.Sequence!.Value;
                }
                catch (Exception poison) when (FailsTheBatch(poison))
                {
                    // A row another writer of the view committed first (a key this batch writes too) fails the batch
                    // before its checkpoint check would: if the checkpoint has moved, the batch lost a race, and the
                    // event did not fail on its own.
                    if (!await MarkFailedAsync(slice.Projection.Name, position, recorded, poison, stopping)) throw new LostRaceException();
                    _options.OnError?.Invoke(slice.Projection.Name, poison);
                    return false;
                }
            }
            return true; // it failed only together: something passing, such as a serialization failure
        }
    }

    /// <summary>Whether <paramref name="e"/> may be the events' fault (not a stop, nor an error that passes, such as a lost connection).</summary>
    private static bool FailsTheBatch(Exception e) => e is not OperationCanceledException && !(e is NpgsqlException { IsTransient: true });

    /// <summary>
    /// Applies each slice to its view and moves the view's checkpoint to the slice's last event, in one
    /// transaction that fails without committing if another writer moved a checkpoint from the slice's
    /// start (where this writer last saw it) meanwhile.
    /// </summary>
    private async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<Slice> slices, CancellationToken cancellationToken)
    {
        // The views' writes, the checkpoints and the commit in one round trip (after the views' reads,
        // if they have any).
        // A view that reads its tables reads them in one snapshot: what it reads is then one state of the view,
        // and it can tell which (the regulator keeps what it read only if that was the state its batch starts from).
        await using var transaction = await connection.BeginTransactionAsync(
            slices.Any(slice => slice.Projection.ReadsItsTables) ? IsolationLevel.RepeatableRead : IsolationLevel.ReadCommitted, cancellationToken);
        await using var writes = new NpgsqlBatch(connection);
        foreach (var (projection, from, events) in slices)
        {
            await projection.ApplyAsync(connection, projection.Name, events, writes, cancellationToken);
            writes.BatchCommands.Add(new NpgsqlBatchCommand("select projections.advance($1, $2, $3)")
            {
                Parameters = { new() { Value = projection.Name }, new() { Value = from }, new() { Value = events[^1].Sequence!.Value } },
            });
        }
        writes.BatchCommands.Add(AsynchronousCommit());
        writes.BatchCommands.Add(new NpgsqlBatchCommand("commit"));
        await writes.ExecuteNonQueryAsync(cancellationToken);

        var now = NodaTime.SystemClock.Instance.GetCurrentInstant();
        foreach (var (projection, _, events) in slices)
        {
            Moved(projection.Name, events[^1].Sequence!.Value);
            var tag = new KeyValuePair<string, object?>("projection", projection.Name);
            EventsApplied.Add(events.Count, tag);
            foreach (var recorded in events) Lag.Record((now - recorded.RecordedAt).TotalMilliseconds, tag);
            _options.OnApplied?.Invoke(projection.Name, events);
        }
    }

    /// <summary>Stops the view on <paramref name="recorded"/> if its checkpoint is still at <paramref name="position"/>; false if it has moved.</summary>
    private async Task<bool> MarkFailedAsync(string name, long position, RecordedEvent recorded, Exception error, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            """
            update projections.checkpoints
            set status = 'failed', failed_sequence = $2, failed_event_id = $3, error = $4, updated_at = clock_timestamp()
            where projection = $1 and position = $5
            """);
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = recorded.Sequence!.Value });
        command.Parameters.Add(new() { Value = recorded.EventId });
        command.Parameters.Add(new() { Value = $"{error.GetType().Name}: {error.Message}" });
        command.Parameters.Add(new() { Value = position });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>A batch failed because another writer of the view got there first.</summary>
    private sealed class LostRaceException : Exception;

    /// <summary>
    /// Builds a view from the first event into new tables beside the live ones, while the live view
    /// goes on serving and keeping up; then swaps them in one transaction and drops the old ones.
    /// A view that had stopped on a failing event starts again from the rebuilt state.
    /// </summary>
    public async Task RebuildAsync(string name, IProgress<RebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var projection = _projections.Concat(_inline).FirstOrDefault(p => p.Name == name)
            ?? throw new ArgumentException($"There is no view named '{name}'.", nameof(name));
        var isInline = _inline.Contains(projection);
        var building = name + "__rebuild";
        await using (var connection = await DataSource.OpenConnectionAsync(cancellationToken))
        {
            await Execute(connection, $"drop schema if exists {building} cascade; create schema {building}", cancellationToken);
            await projection.CreateAsync(connection, building, cancellationToken);
        }

        var watch = Stopwatch.StartNew();
        long position = 0, done = 0;
        await using (var connection = await DataSource.OpenConnectionAsync(cancellationToken))
        {
            // Three stages at once: the log's next batch is read, this one folded, the previous one written.
            // A view that reads its tables while it applies a batch must see the previous one written first.
            var written = Task.CompletedTask;
            try
            {
                await foreach (var batch in ReadAhead(ReadLogAsync(position, _options.RebuildBatchSize, projection.Reads, cancellationToken), cancellationToken))
                {
                    if (projection.ReadsItsTables) await written;
                    var writes = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand("begin"), AsynchronousCommit() } };
                    await projection.ApplyAsync(connection, building, batch, writes, cancellationToken);
                    writes.BatchCommands.Add(new NpgsqlBatchCommand("commit"));
                    await written;
                    written = WriteAsync(writes, cancellationToken);
                    position = batch[^1].Sequence!.Value;
                    done += batch.Count;
                    if (progress is not null)
                    {
                        var head = await _store.ReadHeadAsync(cancellationToken);
                        var rate = done / Math.Max(watch.Elapsed.TotalSeconds, 1e-3);
                        progress.Report(new RebuildProgress(name, done, head, rate, TimeSpan.FromSeconds((head - position) / Math.Max(rate, 1))));
                    }
                }
                await written;
            }
            catch
            {
                await Task.WhenAny(written); // the write in flight ends before its connection closes
                throw;
            }
        }

        await using (var connection = await DataSource.OpenConnectionAsync(cancellationToken))
            await projection.CreateIndexesAsync(connection, building, cancellationToken);

        await using (var connection = await DataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (isInline)
            {
                // Hold appends off this view, then wait until the sequencer has numbered every
                // committed event, so that the log holds all the live view has seen.
                await Execute(connection, $"select pg_advisory_xact_lock(hashtextextended('{name}', 1))", cancellationToken);
                while ((await Sequencer.ReadUnnumberedAsync(DataSource, cancellationToken)).Count > 0)
                    await Task.Delay(5, cancellationToken);
            }
            await Execute(connection, $"""
                insert into projections.checkpoints (projection, version, status) values ('{name}', {projection.Version}, '{(isInline ? ProjectionState.Inline : ProjectionState.Running)}')
                on conflict (projection) do nothing;
                select 1 from projections.checkpoints where projection = '{name}' for update;
                """, cancellationToken);
            // The live view is held still; apply what came after the last batch read.
            while (true)
            {
                var batch = await _store.ReadAllAsync(position, _options.RebuildBatchSize, projection.Reads, cancellationToken);
                if (batch.Count == 0) break;
                await ApplyNowAsync(projection, connection, building, batch, cancellationToken);
                position = batch[^1].Sequence!.Value;
                done += batch.Count;
            }
            await Execute(connection, $"""
                drop schema if exists {name}__retired cascade;
                do $$ begin
                    if exists (select 1 from pg_namespace where nspname = '{name}') then
                        alter schema {name} rename to {name}__retired;
                    end if;
                end $$;
                alter schema {building} rename to {name};
                update projections.checkpoints
                set position = {position}, version = {projection.Version}, status = '{(isInline ? ProjectionState.Inline : ProjectionState.Running)}',
                    failed_sequence = null, failed_event_id = null, error = null, updated_at = clock_timestamp()
                where projection = '{name}';
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            projection.Rebuilt();
            await Execute(connection, $"drop schema if exists {name}__retired cascade", cancellationToken);
        }
        if (!isInline) Moved(name, position);
        progress?.Report(new RebuildProgress(name, done, position, done / Math.Max(watch.Elapsed.TotalSeconds, 1e-3), TimeSpan.Zero));
        bool followed;
        lock (_running) followed = _running.ContainsKey(name);
        if (!isInline && followed) StartLoop([projection]);
    }

    // A view's batch need not wait for its commit's flush: one lost in a crash is lost together with its checkpoint's
    // move (or, in a rebuild, with tables nobody reads yet), and is applied again from the log, to the same rows.
    // It saves a flush a batch of every view, which durable appends would otherwise queue behind.
    private static NpgsqlBatchCommand AsynchronousCommit() => new("set local synchronous_commit = off");

    /// <summary>Applies events and sends the view's writes at once, in the connection's transaction (an inline view, a rebuild's last catch-up).</summary>
    private static async Task ApplyNowAsync(IProjection projection, NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        await using var writes = new NpgsqlBatch(connection);
        await projection.ApplyAsync(connection, schema, events, writes, cancellationToken);
        if (writes.BatchCommands.Count > 0) await writes.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteAsync(NpgsqlBatch writes, CancellationToken cancellationToken)
    {
        await using (writes) await writes.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The log after <paramref name="afterSequence"/> as it is now, in batches.</summary>
    private async IAsyncEnumerable<IReadOnlyList<RecordedEvent>> ReadLogAsync(long afterSequence, int batchSize, EventParts parts, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _store.ReadAllAsync(afterSequence, batchSize, parts, cancellationToken) is { Count: > 0 } batch)
        {
            yield return batch;
            afterSequence = batch[^1].Sequence!.Value;
        }
    }

    /// <summary>
    /// Waits until the view <paramref name="name"/> has applied the event numbered <paramref name="sequence"/>,
    /// or <paramref name="timeout"/> passes: false then (the view is behind or stopped). Inline views hold
    /// every appended event: true at once. The runner knows where its views stand without asking the
    /// database: from their starts, its own commits, and the checkpoint it reads again whenever another
    /// writer (another process, a rebuild) moved it.
    /// </summary>
    public async Task<bool> WaitForAsync(string name, long sequence, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (_inline.Any(p => p.Name == name)) return true;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task moved;
            lock (_gate)
            {
                if (_positions.TryGetValue(name, out var position) && position >= sequence) return true;
                moved = _moved.Task;
            }
            try
            {
                await moved.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    private void Moved(string name, long position)
    {
        TaskCompletionSource moved;
        lock (_gate)
        {
            _positions[name] = position;
            moved = _moved;
            _moved = NewSignal();
        }
        moved.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Each view's checkpoint, state and, if stopped, the event it stopped on, against the log's head.</summary>
    public async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var head = await _store.ReadHeadAsync(cancellationToken);
        var statuses = new List<ProjectionStatus>();
        foreach (var projection in _projections.Concat(_inline))
        {
            var checkpoint = await ReadCheckpointAsync(projection.Name, cancellationToken);
            statuses.Add(checkpoint is null
                ? new ProjectionStatus(projection.Name, "not built", 0, head, null, null, null)
                : new ProjectionStatus(projection.Name, checkpoint.State, checkpoint.Position, head, checkpoint.FailedSequence, checkpoint.FailedEventId, checkpoint.Error));
        }
        return statuses;
    }

    private async Task<Checkpoint?> ReadCheckpointAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "select position, version, status, failed_sequence, failed_event_id, error from projections.checkpoints where projection = $1");
        command.Parameters.Add(new() { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new Checkpoint(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetString(5));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] running;
        lock (_running) running = [.. _running.Values];
        try { await Task.WhenAll(running); }
        catch (OperationCanceledException) { }
        if (_ownsTail) await _tail.DisposeAsync();
        _stopping.Dispose();
    }

    private sealed record Checkpoint(long Position, int Version, string State, long? FailedSequence, Guid? FailedEventId, string? Error);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,40}$")]
    private static partial Regex ValidName();
}

/// <summary>The states a view's checkpoint records.</summary>
public static class ProjectionState
{
    public const string Running = "running";
    public const string Failed = "failed";
    public const string Inline = "inline";
}

/// <param name="State">running, failed, inline, or "not built".</param>
public sealed record ProjectionStatus(string Name, string State, long Position, long Head, long? FailedSequence, Guid? FailedEventId, string? Error)
{
    /// <summary>Events in the log the view has not applied yet (inline views do not follow the sequence).</summary>
    public long Behind => State == ProjectionState.Inline ? 0 : Head - Position;
}

public sealed record RebuildProgress(string Name, long EventsDone, long Head, double EventsPerSecond, TimeSpan Remaining)
{
    public override string ToString() =>
        $"{Name}: {EventsDone:N0} events, {EventsPerSecond:N0}/s, about {Remaining.TotalSeconds:N0} s left";
}

public sealed record ProjectionRunnerOptions
{
    public int BatchSize { get; init; } = 500;

    public int RebuildBatchSize { get; init; } = 5000;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Told of each error: the view's name and the error (for logs).</summary>
    public Action<string, Exception>? OnError { get; init; }

    /// <summary>Told after each batch a live view commits: the view and the events now visible in it (for measures).</summary>
    public Action<string, IReadOnlyList<RecordedEvent>>? OnApplied { get; init; }

    /// <summary>Told of the progress of rebuilds the runner starts itself (first start, new layout version).</summary>
    public IProgress<RebuildProgress>? RebuildProgress { get; init; }
}
