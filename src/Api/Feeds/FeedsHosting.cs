using Records.Api.Identity;
using Records.EventStore;
using Records.Projections;

namespace Records.Api.Feeds;

/// <summary>
/// The feeds in the host: <c>/feed</c> (pull, long poll) and <c>/feed/stream</c> (Server-Sent Events) for signed-in
/// integrators and administrators, scoped by <see cref="IntegratorGrant"/>; the webhook dispatcher and the provincial
/// platform uploader as hosted services. Settings under <c>Records:Feeds</c> and <c>Records:Platform</c>.
/// </summary>
public static class FeedsHosting
{
    public static IServiceCollection AddEventFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        var webhooks = configuration.GetSection("Records:Feeds:Webhooks");
        var defaults = new WebhookOptions();
        services.AddSingleton(new WebhookOptions
        {
            MaxAttempts = webhooks.GetValue("MaxAttempts", defaults.MaxAttempts),
            FirstRetryDelay = webhooks.GetValue("FirstRetryDelay", defaults.FirstRetryDelay),
            MaxRetryDelay = webhooks.GetValue("MaxRetryDelay", defaults.MaxRetryDelay),
            RequestTimeout = webhooks.GetValue("RequestTimeout", defaults.RequestTimeout),
            BatchSize = webhooks.GetValue("BatchSize", defaults.BatchSize),
            RecordEvery = webhooks.GetValue("RecordEvery", defaults.RecordEvery),
            Endpoints = new WebhookEndpointPolicy(
                webhooks.GetValue("AllowPrivateNetworks", false),
                webhooks.GetSection("AllowedHosts").Get<string[]>() ?? webhooks["AllowedHosts"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? []),
        });
        services.AddSingleton(sp => new WebhookRegistry(sp.GetRequiredService<PostgresEventStore>().DataSource, sp.GetRequiredService<WebhookOptions>().Endpoints));
        services.AddHostedService<WebhookService>();
        if (PlatformOptions.From(configuration) is { } platform)
        {
            services.AddSingleton(platform);
            services.AddHostedService<PlatformUploadService>();
        }

        return services;
    }

    /// <summary>How often a live feed (SSE comment, graphql-transport-ws ping) shows the client it is alive; null (0 or less) for never.</summary>
    public static TimeSpan? KeepAlive(IConfiguration configuration) =>
        configuration.GetValue("Records:Feeds:KeepAliveSeconds", 15.0) is var seconds and > 0 ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>Maps <c>/feed</c> and <c>/feed/stream</c> behind bearer authentication.</summary>
    public static void MapEventFeeds(this WebApplication app) =>
        app.MapEventFeeds("/feed", context => IntegratorGrant.ScopeOf(context.User), KeepAlive(app.Configuration)).RequireAuthorization();
}

/// <summary>Runs the <see cref="WebhookDispatcher"/> for the life of the host (it leads, or waits to take over).</summary>
public sealed class WebhookService(LogTail log, Pseudonymizer pseudonymizer, WebhookOptions options, ILogger<WebhookService> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly HttpClient _http = new(options.Endpoints.CreateHandler());
    private WebhookDispatcher? _dispatcher;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _dispatcher = new WebhookDispatcher(log, _http, pseudonymizer,
            options with { OnError = e => logger.LogWarning(e, "Webhook delivery lost its database connection; it will reconnect") });
        _dispatcher.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_dispatcher is not null) await _dispatcher.DisposeAsync();
        _dispatcher = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _http.Dispose();
    }
}
