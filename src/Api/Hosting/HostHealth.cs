using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Projections.Runner;

namespace Records.Api.Hosting;

/// <summary>How far behind the sequencer and the views may be while the host still says it is ready (Records:Health).</summary>
public sealed record HealthOptions
{
    public int MaxSequencerLagSeconds { get; init; } = 10;

    public int MaxProjectionLagSeconds { get; init; } = 30;

    public static HealthOptions From(IConfiguration configuration) =>
        configuration.GetSection("Records:Health").Get<HealthOptions>() ?? new HealthOptions();
}

/// <summary>
/// Liveness and readiness for orchestrators and operators. <c>/health/live</c>: the process answers.
/// <c>/health/ready</c>: the database answers, the sequencer runs and numbers appends without falling
/// behind, and every view follows the log (none stopped on a poisoned event); 503 otherwise. Both
/// answer JSON with each check's findings. <c>/health</c> stays as it was (status and the log's head).
/// </summary>
public static class HostHealth
{
    private const string Ready = "ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static void AddHostHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(HealthOptions.From(configuration));
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<SequencerCheck>("sequencer", tags: [Ready])
            .AddCheck<ProjectionsCheck>("projections", tags: [Ready]);
    }

    public static void MapHostHealth(this WebApplication app)
    {
        app.MapGet("/health", async (PostgresEventStore store, CancellationToken ct) =>
            Results.Ok(new { status = "healthy", globalSequence = await store.ReadHeadAsync(ct) }));
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status == HealthStatus.Healthy ? "ready" : "not ready",
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status == HealthStatus.Healthy ? "ok" : "failing",
                description = e.Value.Description ?? e.Value.Exception?.Message,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted);
    }

    /// <summary>The database answers a query as the application's login within two seconds.</summary>
    private sealed class DatabaseCheck(RecordsDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await using var command = database.App.CreateCommand("select 1");
                await command.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy("The database answers.");
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("The database does not answer: " + e.Message);
            }
        }
    }

    /// <summary>
    /// The sequencer runs here (leading, or standing by for another host), and no committed event has
    /// waited for its number longer than <see cref="HealthOptions.MaxSequencerLagSeconds"/>.
    /// </summary>
    private sealed class SequencerCheck(SequencerService sequencer, LogTail tail, RecordsDatabase database, HealthOptions options) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var (waiting, oldestWait) = await Sequencer.ReadUnnumberedAsync(database.App, cancellationToken);
            var lagSeconds = oldestWait.TotalSeconds;

            var data = new Dictionary<string, object>
            {
                ["running"] = sequencer.IsRunning,
                ["leader"] = sequencer.IsLeader,
                ["unnumberedEvents"] = waiting,
                ["lagSeconds"] = Math.Round(lagSeconds, 3),
                // The host's log tail reads the log itself for what its sequencer did not hand over, and on its idle check
                // (every 5 s): while this host leads, faster growth means hand-overs are missed.
                ["logTailReads"] = tail.LogReads,
            };
            if (!sequencer.IsRunning) return HealthCheckResult.Unhealthy("The sequencer is not running.", data: data);
            return lagSeconds > options.MaxSequencerLagSeconds
                ? HealthCheckResult.Unhealthy($"Committed events have waited {lagSeconds:0} s for their sequence number (at most {options.MaxSequencerLagSeconds} s).", data: data)
                : HealthCheckResult.Healthy(sequencer.IsLeader ? "The sequencer numbers the log." : "The sequencer stands by; another host numbers the log.", data);
        }
    }

    /// <summary>
    /// Every view follows the log: built, not stopped on an event it could not apply (poisoned), and no
    /// event has waited for it longer than <see cref="HealthOptions.MaxProjectionLagSeconds"/>.
    /// </summary>
    private sealed class ProjectionsCheck(ProjectionService projections, HealthOptions options) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var views = await projections.StatusAsync(cancellationToken);
            var data = views.ToDictionary(v => v.Name, v => (object)new
            {
                state = v.State,
                checkpoint = v.Checkpoint,
                behind = v.Behind,
                lagSeconds = Math.Round(v.Lag.TotalSeconds, 3),
                failedSequence = v.FailedSequence,
                failedEventId = v.FailedEventId,
                error = v.Error,
            });
            var problems = views.Select(Problem).OfType<string>().ToList();
            return problems.Count == 0
                ? HealthCheckResult.Healthy($"The {views.Count} views follow the log.", data)
                : HealthCheckResult.Unhealthy(string.Join(" ", problems), data: data);
        }

        private string? Problem(ViewStatus view) => view.State switch
        {
            ProjectionState.Failed => $"View {view.Name} stopped on event {view.FailedEventId} (sequence {view.FailedSequence}): {view.Error}",
            ProjectionState.Running when view.Lag.TotalSeconds > options.MaxProjectionLagSeconds =>
                $"View {view.Name} is {view.Lag.TotalSeconds:0} s behind the log (at most {options.MaxProjectionLagSeconds} s).",
            ProjectionState.Running or ProjectionState.Inline => null,
            _ => $"View {view.Name} is {view.State}" + (view.Error is { } error ? $": {error}" : "."),
        };
    }
}
