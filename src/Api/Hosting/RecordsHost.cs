using NodaTime;
using Records.Api.Access;
using Records.Api.Commands;
using Records.Api.Demo;
using Records.Api.Feeds;
using Records.Api.Identity;
using Records.Api.Schema;
using Records.GraphQL.Http;
using Records.Api.Signatures;
using Records.Domain.Rules;
using Records.Domain.Signature;
using Records.EventStore;
using Records.Projections.Streams;

namespace Records.Api.Hosting;

/// <summary>
/// The product's host: the database (configured or embedded), the sequencer, the write side,
/// identities and audited reads, composed once here for the program and for the tests.
/// </summary>
public sealed class RecordsHost : IAsyncDisposable
{
    private RecordsHost(WebApplication app, RecordsDatabase database)
    {
        App = app;
        Database = database;
    }

    public WebApplication App { get; }

    public RecordsDatabase Database { get; }

    public static async Task<RecordsHost> BuildAsync(string[] args, CancellationToken cancellationToken = default)
    {
        // Settings are read once, at start. Reloading appsettings on change would watch the content root and everything
        // under it, the embedded cluster's data folder included: a file event for each write of the database.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            ApplicationName = typeof(RecordsHost).Assembly.GetName().Name,
        });
        builder.AddHostLogging();
        using var startupLogging = HostLogging.StartupLogging(builder);
        var configuration = builder.Configuration;
        var database = await RecordsDatabase.OpenAsync(configuration, startupLogging.CreateLogger("Records"), cancellationToken);
        var folder = DataFolder.Path(configuration);
        var limits = HostLimits.From(configuration);
        builder.AddRequestLimits(limits);

        var services = builder.Services;
        services.AddSingleton(database);
        services.AddSingleton(new PostgresEventStore(database.App));
        services.AddSingleton<SequencerService>();
        services.AddHostedService(sp => sp.GetRequiredService<SequencerService>());
        services.AddSingleton(sp => new LogTail(sp.GetRequiredService<PostgresEventStore>(), new LogTailOptions
        {
            OnError = e => sp.GetRequiredService<ILogger<LogTail>>().LogWarning(e, "The log tail lost its connection; feeds read the log directly until it is back"),
        }));
        services.AddHostedService<LogTailService>();
        services.AddProjections(database.App);
        services.AddHostHealth(configuration);
        services.AddSingleton<IClock>(SystemClock.Instance);

        // The write side (src/Api/Commands).
        services.AddSingleton(sp => new DomainStore(sp.GetRequiredService<PostgresEventStore>()));
        services.AddSingleton(new PatientLinks(database.App));
        services.AddSingleton(new Regulation(RuleCatalog.Default, new Place(
            configuration["Records:ProvinceCode"] is { Length: > 0 } province ? province : "330000",
            configuration["Records:InstitutionId"] is { Length: > 0 } institution ? institution : "ih-demo")));
        services.AddSingleton(new SignatureVerifiers(new EcdsaP256Sha256Verifier(), new Sm2WithSm3Verifier()));
        services.AddSingleton<DecisionFacts>();
        services.AddSingleton<RejectionLog>();
        services.AddSingleton(sp => new SequenceWaiter(sp.GetRequiredService<PostgresEventStore>(), sp.GetRequiredService<LogTail>(),
            TimeSpan.FromMilliseconds(configuration.GetValue("Records:Commands:SequenceWaitMilliseconds", 2000))));
        services.AddSingleton<CommandExecutor>();

        // Identity (src/Api/Identity).
        services.AddSingleton(IdentityOptions.From(configuration));
        services.AddSingleton<TokenIssuer>();
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorization();

        // Access (src/Api/Access).
        services.AddSingleton(AccessOptions.From(configuration, DataFolder.Secret(folder, "pseudonym-key", 32)));
        services.AddSingleton<CareRelationships>();
        services.AddSingleton(sp => new Records.Projections.Pseudonymizer(System.Text.Encoding.UTF8.GetBytes(sp.GetRequiredService<AccessOptions>().PseudonymKey)));
        services.AddSingleton<AuditedReads>();
        services.AddSingleton<PatientRecords>();

        // Event feeds, webhooks and the provincial platform's uploads (src/Api/Feeds).
        services.AddEventFeeds(configuration);

        // The demo hospital (src/Api/Demo), after the sequencer has started.
        services.AddSingleton<DemoHospital>();
        var demo = DemoService.IsEnabled(configuration);
        if (demo) services.AddHostedService<DemoService>();

        var app = builder.Build();
        app.UseRequestLog();
        app.UseGraphiQL("/graphql", demo);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapHostHealth();
        app.MapGet("/me", (HttpContext context) => RecordsClaims.ToActor(context.User) is { } actor
                ? Results.Ok(new { id = actor.Id, role = RecordsClaims.RoleName(actor.Role), realNameVerified = actor.RealNameVerified })
                : Results.Unauthorized())
            .RequireAuthorization();
        app.MapAccess();
        app.MapEventFeeds();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = FeedsHosting.KeepAlive(configuration) ?? TimeSpan.Zero });
        app.MapGraphQL("/graphql", RecordsSchema.Build(), new GraphQLEndpointOptions
            {
                Server = limits.GraphQL with { MapException = DatabaseErrors.Explain },
                MaxRequestBodyBytes = limits.MaxRequestBodyBytes,
                WebSocket = new() { KeepAliveInterval = FeedsHosting.KeepAlive(configuration) },
            })
            .RequireAuthorization();
        return new RecordsHost(app, database);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}
