using NodaTime;
using Npgsql;
using Records.Api.Access;
using Records.EventStore;
using Records.Projections;
using Records.Projections.Access;
using Records.Projections.AsOf;
using Records.Projections.Emr;
using Records.Projections.Regulator;
using Records.Projections.Runner;
using Records.Projections.Streams;
using Records.Projections.Traceability;

namespace Records.Api.Hosting;

/// <summary>Where one view stands, for readiness and operators.</summary>
/// <param name="State">running, failed (stopped on <paramref name="FailedEventId"/>), inline, "not built" or "starting".</param>
/// <param name="Checkpoint">The last global sequence number the view applied.</param>
/// <param name="Behind">Events in the log the view has not applied yet.</param>
/// <param name="Lag">How long the oldest event the view has not applied has waited (zero when it is current).</param>
public sealed record ViewStatus(
    string Name, string State, long Checkpoint, long Head, long Behind, Duration Lag, long? FailedSequence, Guid? FailedEventId, string? Error)
{
    public bool IsFailed => State == ProjectionState.Failed;
}

/// <summary>
/// Runs the projection runner for the life of the host, with every view (EMR, access, traceability,
/// regulator), after migrations and the sequencer. Its <see cref="StatusAsync"/> answers readiness;
/// <see cref="WaitForAsync"/> lets a read that must see a write wait until a view has applied it,
/// woken by the runner as its views move (<see cref="ProjectionRunner.WaitForAsync"/>), never by polling.
/// </summary>
public sealed class ProjectionService : IHostedService, IAsyncDisposable
{
    public const string Emr = "emr", Access = "access", Traceability = "traceability", Regulator = RegulatorProjection.SchemaName;

    private readonly PostgresEventStore _store;
    private readonly ILogger<ProjectionService> _logger;
    private readonly IClock _clock;
    private readonly ProjectionRunner _runner;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _starting;
    private Exception? _startFailure;

    public ProjectionService(
        PostgresEventStore store, LogTail tail, Pseudonymizer pseudonyms, IClock clock, IConfiguration configuration, ILogger<ProjectionService> logger)
    {
        _store = store;
        ReadWait = TimeSpan.FromMilliseconds(configuration.GetValue("Records:Views:ReadWaitMilliseconds", 2000));
        _clock = clock;
        _logger = logger;
        _runner = new ProjectionRunner(store,
            [new EmrView(), new AccessView(), new TraceabilityView(), new RegulatorProjection(new RegulatorOptions(RegulatorRules.DefaultBook, pseudonyms))],
            options: new ProjectionRunnerOptions
            {
                OnError = (view, e) => logger.LogError(e, "View {View}: {Error}", view, e.Message),
                RebuildProgress = new Progress<RebuildProgress>(p => logger.LogInformation("Rebuilding {Progress}", p)),
            },
            tail: tail);
    }

    /// <summary>How long a read waits for a view to hold the writes before it (Records:Views:ReadWaitMilliseconds); past it, the view answers as it stands.</summary>
    public TimeSpan ReadWait { get; }

    /// <summary>True once every view exists and follows the log (a first start builds them, a new layout rebuilds).</summary>
    public bool Started => _starting is { IsCompletedSuccessfully: true } && _startFailure is null;

    /// <summary>
    /// Starts in the background, so the host answers (and says it is not ready) while views are built.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _starting = Task.Run(async () =>
        {
            try
            {
                await _runner.StartAsync(_stopping.Token);
                _logger.LogInformation("The views follow the log");
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                _startFailure = e;
                _logger.LogCritical(e, "The views could not start: {Error}", e.Message);
            }
        });
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync();
        await Quietly(_starting);
        await _runner.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    /// <summary>Each view's checkpoint, state (a stopped view names its event and error) and lag behind the log.</summary>
    public async Task<IReadOnlyList<ViewStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var statuses = new List<ViewStatus>();
        foreach (var s in await _runner.StatusAsync(cancellationToken))
        {
            var state = s.State == "not built" && !Started && _startFailure is null ? "starting" : s.State;
            var lag = Duration.Zero;
            if (s.Behind > 0 && await _store.ReadAllAsync(s.Position, 1, cancellationToken) is [var oldest])
                lag = Duration.Max(Duration.Zero, _clock.GetCurrentInstant() - oldest.RecordedAt);
            statuses.Add(new ViewStatus(s.Name, state, s.Position, s.Head, s.Behind, lag, s.FailedSequence, s.FailedEventId,
                s.Error ?? (s.State == "not built" ? _startFailure?.Message : null)));
        }
        return statuses;
    }

    /// <summary>
    /// Waits until <paramref name="view"/> has applied the event numbered <paramref name="sequence"/>,
    /// or <paramref name="timeout"/> passes. False on timeout (the view is behind or stopped).
    /// </summary>
    public Task<bool> WaitForAsync(string view, long sequence, TimeSpan timeout, CancellationToken cancellationToken) =>
        _runner.WaitForAsync(view, sequence, timeout, cancellationToken);

    /// <summary>Waits until <paramref name="view"/> holds every event numbered when the call began (see <see cref="WaitForAsync"/>).</summary>
    public async Task<bool> CatchUpAsync(string view, TimeSpan timeout, CancellationToken cancellationToken) =>
        await WaitForAsync(view, await _store.ReadHeadAsync(cancellationToken), timeout, cancellationToken);

    private static async Task Quietly(Task? task)
    {
        if (task is null) return;
        try { await task; }
        catch (OperationCanceledException) { }
    }
}

/// <summary>Registers the views' runner and their query services.</summary>
public static class ProjectionServices
{
    public static IServiceCollection AddProjections(this IServiceCollection services, NpgsqlDataSource app)
    {
        services.AddSingleton<ProjectionService>();
        services.AddHostedService(sp => sp.GetRequiredService<ProjectionService>());
        services.AddSingleton(new EmrQueries(app));
        services.AddSingleton(sp => new AccessQueries(app, sp.GetRequiredService<AccessOptions>().RecentCare));
        services.AddSingleton(new TraceabilityQueries(app));
        services.AddSingleton(sp => new RegulatorQueries(app, sp.GetRequiredService<Pseudonymizer>()));
        services.AddSingleton(sp => new AsOfRecords(sp.GetRequiredService<DomainStore>(), app));
        return services;
    }
}
