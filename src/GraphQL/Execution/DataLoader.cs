using Records.GraphQL.Types;

namespace Records.GraphQL.Execution;

/// <summary>Fetches the values of many keys in one call; keys missing from the answer resolve to default.</summary>
public delegate ValueTask<IReadOnlyDictionary<TKey, TValue>> BatchFetch<TKey, TValue>(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    where TKey : notnull;

/// <summary>
/// A per-request batching and caching loader (the DataLoader pattern): every key resolvers ask for while the execution
/// is running one wave of fields is collected, and fetched in one <see cref="BatchFetch{TKey,TValue}"/> call once the
/// execution has nothing left to do but wait. Each key is fetched at most once per request.
/// Get one with <see cref="DataLoaderExtensions.DataLoader{TKey,TValue}"/>.
/// </summary>
public sealed class DataLoader<TKey, TValue> : IBatch where TKey : notnull
{
    private readonly BatchFetch<TKey, TValue> _fetch;
    private readonly BatchScheduler _scheduler;
    private readonly Dictionary<TKey, Task<TValue?>> _cache = [];
    private Dictionary<TKey, TaskCompletionSource<TValue?>> _queued = [];

    internal DataLoader(BatchFetch<TKey, TValue> fetch, BatchScheduler scheduler)
    {
        _fetch = fetch;
        _scheduler = scheduler;
    }

    /// <summary>The value of <paramref name="key"/>, from this request's cache or the next batch.</summary>
    public ValueTask<TValue?> LoadAsync(TKey key)
    {
        bool first;
        TaskCompletionSource<TValue?> source;
        lock (_cache)
        {
            if (_cache.TryGetValue(key, out var known))
                return known.IsCompletedSuccessfully ? new ValueTask<TValue?>(known.Result) : new ValueTask<TValue?>(known);
            source = new TaskCompletionSource<TValue?>();
            _cache[key] = source.Task;
            first = _queued.Count == 0;
            _queued[key] = source;
        }
        if (first) _scheduler.Enqueue(this);
        return new ValueTask<TValue?>(source.Task);
    }

    /// <summary>Loads several keys (e.g. the children of a list item), in the order given.</summary>
    public async ValueTask<IReadOnlyList<TValue?>> LoadManyAsync(IEnumerable<TKey> keys)
    {
        var loads = keys.Select(LoadAsync).ToArray();
        var values = new TValue?[loads.Length];
        for (var i = 0; i < loads.Length; i++) values[i] = await loads[i].ConfigureAwait(false);
        return values;
    }

    async ValueTask IBatch.DispatchAsync(CancellationToken cancellationToken)
    {
        Dictionary<TKey, TaskCompletionSource<TValue?>> batch;
        lock (_cache)
        {
            batch = _queued;
            _queued = [];
        }
        if (batch.Count == 0) return;
        try
        {
            var found = await _fetch([.. batch.Keys], cancellationToken).ConfigureAwait(false);
            foreach (var (key, source) in batch) source.TrySetResult(found.TryGetValue(key, out var value) ? value : default);
        }
        catch (Exception e)
        {
            foreach (var source in batch.Values) source.TrySetException(e);
        }
    }
}

/// <summary>A loader with keys waiting to be fetched.</summary>
internal interface IBatch
{
    ValueTask DispatchAsync(CancellationToken cancellationToken);
}

/// <summary>Collects the loaders of one request that have keys queued; execution dispatches them when it would otherwise wait.</summary>
internal sealed class BatchScheduler(CancellationToken cancellationToken)
{
    // Made on first use: most requests never use a loader.
    private readonly Lock _lock = new();
    private List<IBatch>? _queued;
    // Signalled asynchronously so the dispatch loop never runs inside a resolver's LoadAsync call.
    private TaskCompletionSource? _signal;

    public bool HasQueued
    {
        get
        {
            lock (_lock) return _queued is { Count: > 0 };
        }
    }

    public void Enqueue(IBatch batch)
    {
        lock (_lock)
        {
            (_queued ??= []).Add(batch);
            _signal?.TrySetResult();
        }
    }

    /// <summary>Completes when some loader has keys queued.</summary>
    public Task WhenQueued()
    {
        lock (_lock)
        {
            if (_queued is { Count: > 0 }) return Task.CompletedTask;
            if (_signal is null || _signal.Task.IsCompleted) _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
            return _signal.Task;
        }
    }

    /// <summary>Fetches every queued batch; the values complete the waiting resolvers, which may queue the next wave.</summary>
    public async Task DispatchAsync()
    {
        List<IBatch>? batches;
        lock (_lock)
        {
            batches = _queued;
            _queued = null;
        }
        if (batches is null) return;
        var running = new Task[batches.Count];
        for (var i = 0; i < batches.Count; i++) running[i] = batches[i].DispatchAsync(cancellationToken).AsTask();
        await Task.WhenAll(running).ConfigureAwait(false);
    }
}

/// <summary>Access to the data loaders of the current request.</summary>
public static class DataLoaderExtensions
{
    /// <summary>
    /// The request's loader named <paramref name="name"/>, created with <paramref name="fetch"/> on first use. Use one name per
    /// kind of lookup (e.g. "authorById"); loaders live for one request, so their cache never serves another request.
    /// </summary>
    public static DataLoader<TKey, TValue> DataLoader<TKey, TValue>(this ResolveContext context, string name, BatchFetch<TKey, TValue> fetch)
        where TKey : notnull
    {
        if (context is not ExecutionResolveContext { Execution: var execution })
            throw new InvalidOperationException("Data loaders are only available to resolvers run by the Executor.");
        var loader = execution.DataLoaders.GetOrAdd(name, _ => new DataLoader<TKey, TValue>(fetch, execution.Batches));
        return loader as DataLoader<TKey, TValue>
            ?? throw new InvalidOperationException($"Data loader \"{name}\" was created with other key or value types.");
    }
}
