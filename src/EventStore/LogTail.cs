using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using Records.EventStore.Sequencing;

namespace Records.EventStore;

/// <summary>
/// The live end of the global log, read once for a whole process and shared by its subscribers (live
/// feeds, waiters for a sequence number). Each subscription of its own would hold a listening connection
/// and read every new batch again: with twenty subscribers that is twenty reads of the same rows for each
/// batch the sequencer numbers. The tail keeps the last <see cref="LogTailOptions.Capacity"/> events in
/// memory; a subscriber behind them reads the log itself until it reaches them.
/// <para>
/// While this process's <see cref="Sequencer"/> leads, it hands the tail each batch as it numbers it, and the
/// tail reads the log only for what did not reach it that way: the sequencer's notification names the head
/// (and the server process that sent it), and a tail already there has nothing to read.
/// </para>
/// </summary>
public sealed class LogTail : IAsyncDisposable
{
    private readonly PostgresEventStore _store;
    private readonly LogTailOptions _options;
    private readonly RecordedEvent[] _ring;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _advanced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _last = -1; // the newest sequence in memory; -1 before the tail has started
    private long _first;     // the oldest sequence in memory (the ring holds _first.._last)
    private bool _following; // false while the tail has lost the log: then _last need not be the log's head
    private int? _feeder;    // the server process of this process's sequencer while it leads and hands the tail each batch it numbers
    private long _logReads;
    private readonly SemaphoreSlim _starting = new(1, 1);
    private Task? _running;
    private int _disposed;

    public LogTail(PostgresEventStore store, LogTailOptions? options = null)
    {
        Store = store;
        _store = store;
        _options = options ?? new LogTailOptions();
        if (_options.Capacity < 1) throw new ArgumentOutOfRangeException(nameof(options), "A log tail must hold at least one event.");
        _ring = new RecordedEvent[_options.Capacity];
    }

    /// <summary>The store whose log this is.</summary>
    public PostgresEventStore Store { get; }

    /// <summary>How many times the tail has read the log itself: while this process's sequencer leads, only at start and on idle checks.</summary>
    public long LogReads => Interlocked.Read(ref _logReads);

    /// <summary>Starts following the log from its head now; the tail is shared, so a second call does nothing.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _starting.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed == 1, this);
            if (_running is not null) return;
            var head = await _store.ReadHeadAsync(cancellationToken);
            lock (_gate) (_first, _last, _following) = (head + 1, head, true); // the head just read is the log's
            _running = Task.Run(() => FollowAsync(_stopping.Token));
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>Told by this process's sequencer when it starts leading (with its connection's server process) and stops (null).</summary>
    internal void Lead(int? serverProcess)
    {
        TaskCompletionSource advanced;
        lock (_gate)
        {
            _feeder = serverProcess;
            if (serverProcess is not null) return;
            advanced = NextSignal(); // a follower waiting for a hand-over that will not come reads the log at once
        }
        advanced.SetResult();
    }

    /// <summary>Under the gate: replaces the signal that the tail moved, returning the one to set once the gate is let go.</summary>
    private TaskCompletionSource NextSignal()
    {
        var advanced = _advanced;
        _advanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return advanced;
    }

    /// <summary>Handed by this process's sequencer: a batch it has just numbered and committed.</summary>
    internal void Numbered(IReadOnlyList<RecordedEvent> batch) => Add(batch);

    // How long a tail that hears of a batch its own sequencer numbered waits for the batch to be handed over
    // before reading it: the hand-over follows the notification by the rest of the sequencer's round trip (its
    // commit and next look), and a busy machine may run the sequencer late. Past this, the log is read (the
    // hand-over may have been lost, or come after a gap that only the log fills).
    private static readonly TimeSpan HandOverGrace = TimeSpan.FromMilliseconds(500);

    private async Task FollowAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Listen before reading, so that nothing numbered meanwhile goes unnoticed.
                await using var listener = await ChannelListener.OpenAsync(_store.DataSource, Sequencer.SequencedChannel, stopping);
                lock (_gate) _following = true;
                NpgsqlNotificationEventArgs? heard = null; // at first, and after a quiet spell, the log is read whatever was heard
                while (true)
                {
                    listener.Reset();
                    if (heard is null || !long.TryParse(heard.Payload, CultureInfo.InvariantCulture, out var head) || !await HandedOverAsync(head, heard.PID, stopping))
                        await ReadToHeadAsync(stopping);
                    await listener.WaitAsync(_options.IdleCheckInterval, stopping);
                    heard = listener.LastNotification;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Subscribers meanwhile read the log themselves (see TryReadFromMemory); the tail starts again where it was.
                lock (_gate) _following = false;
                _options.OnError?.Invoke(e);
                try
                {
                    await Task.Delay(_options.RetryDelay, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Whether the tail holds the log up to <paramref name="head"/> (notified by the sequencer on <paramref name="sender"/>,
    /// a server process) without reading it: it does already, or this process's sequencer sent it and hands the batch
    /// over within <see cref="HandOverGrace"/>.
    /// </summary>
    private async Task<bool> HandedOverAsync(long head, int sender, CancellationToken stopping)
    {
        var deadline = DateTime.UtcNow + HandOverGrace;
        while (true)
        {
            Task advanced;
            lock (_gate)
            {
                if (_last >= head) return true;
                if (_feeder != sender) return false;
                advanced = _advanced.Task;
            }
            if (!await MovedBeforeAsync(advanced, deadline, stopping)) return false;
        }
    }

    /// <summary>Reads the log from the tail's end up to its head.</summary>
    private async Task ReadToHeadAsync(CancellationToken stopping)
    {
        while (true)
        {
            long last;
            lock (_gate) last = _last;
            Interlocked.Increment(ref _logReads);
            var batch = await _store.ReadAllAsync(last, _options.BatchSize, stopping);
            if (batch.Count > 0) Add(batch);
            if (batch.Count < _options.BatchSize) return;
        }
    }

    /// <summary>
    /// Adds a batch read from the log or handed over by the sequencer. The two may overlap (what is held
    /// already is skipped); a batch handed over after a gap is left for the log to fill.
    /// </summary>
    private void Add(IReadOnlyList<RecordedEvent> batch)
    {
        TaskCompletionSource advanced;
        lock (_gate)
        {
            if (_last < 0) return; // not started: the start reads the head
            var first = batch[0].Sequence!.Value;
            var skip = _last + 1 - first;
            if (skip < 0 || skip >= batch.Count) return;
            for (var i = (int)skip; i < batch.Count; i++) _ring[batch[i].Sequence!.Value % _ring.Length] = batch[i];
            _last = batch[^1].Sequence!.Value;
            _first = Math.Max(_first, _last - _ring.Length + 1);
            advanced = NextSignal();
        }
        advanced.SetResult();
    }

    /// <summary>
    /// Up to <paramref name="maxCount"/> events after <paramref name="afterSequence"/>, in sequence order:
    /// from memory when the tail holds them, else from the log. Empty at the head.
    /// </summary>
    public Task<IReadOnlyList<RecordedEvent>> ReadAsync(long afterSequence, int maxCount, CancellationToken cancellationToken = default) =>
        TryReadFromMemory(afterSequence, maxCount, out var events, out _)
            ? Task.FromResult(events)
            : _store.ReadAllAsync(afterSequence, maxCount, cancellationToken);

    /// <summary>
    /// Waits until there are events after <paramref name="afterSequence"/>: true when there are (or, while the tail has
    /// lost the log, after a pause, so that the caller looks at the log itself); false when <paramref name="timeout"/> passed.
    /// </summary>
    public async Task<bool> WaitForEventsAfterAsync(long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task advanced;
            bool following, there;
            lock (_gate) (advanced, following, there) = (_advanced.Task, _following, _last > afterSequence);
            var remaining = deadline - DateTime.UtcNow;
            if (!following)
            {
                var pause = remaining < _options.RetryDelay ? remaining : _options.RetryDelay;
                if (pause > TimeSpan.Zero) await Task.Delay(pause, cancellationToken);
                return true;
            }
            if (there) return true;
            if (!await MovedBeforeAsync(advanced, deadline, cancellationToken)) return false;
        }
    }

    /// <summary>Waits for <paramref name="advanced"/> (the tail moving) until <paramref name="deadline"/>: false when the time is up first.</summary>
    private static async Task<bool> MovedBeforeAsync(Task advanced, DateTime deadline, CancellationToken cancellationToken)
    {
        var remaining = deadline - DateTime.UtcNow;
        if (remaining <= TimeSpan.Zero) return false;
        try
        {
            await advanced.WaitAsync(remaining, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// True with the events when <paramref name="afterSequence"/> is within the tail (empty at the tail's
    /// head, with the task that completes when more come); false when the log itself must be read: behind
    /// the tail, past it, or at its head while it has lost the log.
    /// </summary>
    private bool TryReadFromMemory(long afterSequence, int maxCount, out IReadOnlyList<RecordedEvent> events, out Task advanced)
    {
        lock (_gate)
        {
            advanced = _advanced.Task;
            if (_last < 0 || afterSequence < _first - 1 || afterSequence > _last || (afterSequence == _last && !_following))
            {
                events = [];
                return false;
            }
            var count = (int)Math.Min(maxCount, _last - afterSequence);
            var slice = new RecordedEvent[count];
            for (var i = 0; i < count; i++) slice[i] = _ring[(afterSequence + 1 + i) % _ring.Length];
            events = slice;
            return true;
        }
    }

    /// <summary>
    /// The global log after <paramref name="afterSequence"/>, a batch at a time (never empty): what is
    /// there, then each batch as the sequencer numbers it. Every event comes once, in sequence order, as
    /// from <see cref="PostgresEventStore.SubscribeBatchesAsync"/>, without a connection of its own.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<RecordedEvent>> SubscribeBatchesAsync(
        long afterSequence, int batchSize = 500, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var position = afterSequence;
        var lookAtLog = false;
        while (true)
        {
            if (!TryReadFromMemory(position, batchSize, out var batch, out var advanced) || lookAtLog)
                batch = await _store.ReadAllAsync(position, batchSize, cancellationToken);
            lookAtLog = false;
            if (batch.Count > 0)
            {
                yield return batch;
                position = batch[^1].Sequence!.Value;
                continue;
            }
            // At the head: wait for the tail to move. While it has lost the log, look at the log
            // itself as often as the tail tries to get it back; else only after the safety interval.
            bool following;
            lock (_gate) following = _following;
            try
            {
                await advanced.WaitAsync(following ? _options.IdleCheckInterval : _options.RetryDelay, cancellationToken);
            }
            catch (TimeoutException)
            {
                lookAtLog = true;
            }
        }
    }

    /// <summary>Stops following the log; subscriptions still open end with their cancellation token. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _starting.WaitAsync(); // a start under way finishes first, so that what it started is stopped
        _starting.Release();         // a later start finds the tail disposed
        await _stopping.CancelAsync();
        if (_running is not null)
        {
            try { await _running; }
            catch (OperationCanceledException) { }
        }
        _stopping.Dispose();
    }
}

public sealed record LogTailOptions
{
    /// <summary>Events kept in memory: subscribers less than this far behind the head never read the log.</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>Events read at a time while following the log.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>A safety net only: a subscriber at the head looks at the log itself after this long without news.</summary>
    public TimeSpan IdleCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Told of each error the tail recovers from (for logs).</summary>
    public Action<Exception>? OnError { get; init; }
}
