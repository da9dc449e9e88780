using Npgsql;
using Records.EventStore;
using Records.EventStore.Postgres;

namespace Records.Api.Hosting;

/// <summary>
/// The product's database: the configured server, or else the embedded default (a private
/// PostgreSQL cluster under .records/). Migrations run as an administrator; the product itself
/// connects as a login that may only read and append the event tables.
/// </summary>
public sealed class RecordsDatabase : IAsyncDisposable
{
    private const string AppLogin = "records_app";
    private readonly EmbeddedPostgres? _embedded;

    private RecordsDatabase(NpgsqlDataSource app, EmbeddedPostgres? embedded)
    {
        App = app;
        _embedded = embedded;
    }

    /// <summary>Connections as the application's own role.</summary>
    public NpgsqlDataSource App { get; }

    /// <summary>
    /// ConnectionStrings:Records is what the product connects as; ConnectionStrings:RecordsAdmin,
    /// if given, is used for migrations (else the same). With neither, the embedded default starts
    /// in Records:DataDirectory (default ./.records/postgres).
    /// </summary>
    public static async Task<RecordsDatabase> OpenAsync(IConfiguration configuration, ILogger logger, CancellationToken cancellationToken)
    {
        var configured = configuration.GetConnectionString("Records");
        if (!string.IsNullOrEmpty(configured))
        {
            await using (var admin = NpgsqlDataSource.Create(configuration.GetConnectionString("RecordsAdmin") is { Length: > 0 } a ? a : configured))
                await MigrateAsync(admin, cancellationToken);
            return new RecordsDatabase(NpgsqlDataSource.Create(Prepared(configured)), null);
        }

        var folder = DataFolder.Path(configuration);
        logger.LogInformation("No connection string configured: starting the embedded PostgreSQL cluster in {Folder}", folder);
        var embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(folder), cancellationToken);
        var appPassword = DataFolder.Secret(folder, "app-password", 24);
        await using (var admin = NpgsqlDataSource.Create(embedded.ConnectionString("postgres")))
        {
            await MigrateAsync(admin, cancellationToken);
            await EventStoreSchema.EnsureLoginRoleAsync(admin, AppLogin, appPassword, cancellationToken);
        }
        var app = new NpgsqlConnectionStringBuilder(embedded.ConnectionString("postgres")) { Username = AppLogin, Password = appPassword };
        return new RecordsDatabase(NpgsqlDataSource.Create(Prepared(app.ConnectionString)), embedded);
    }

    /// <summary>
    /// The connection string with Npgsql's automatic preparation on, unless it says otherwise: the product runs a few
    /// dozen statements over and over, and without it the server plans each one at every execution (Npgsql prepares
    /// nothing by default).
    /// </summary>
    private static string Prepared(string connectionString)
    {
        // Npgsql's own builder answers ContainsKey for every keyword it knows, set or not: ask the plain one, in any spelling.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
        return given ? connectionString : new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 50 }.ConnectionString;
    }

    /// <summary>The schemas' migrations, in dependency order: the event store, then the views' checkpoints and the feeds' webhooks.</summary>
    private static async Task MigrateAsync(NpgsqlDataSource admin, CancellationToken cancellationToken)
    {
        await EventStoreSchema.MigrateAsync(admin, cancellationToken);
        await Records.Projections.Runner.ProjectionRunner.MigrateAsync(admin, cancellationToken);
        await Feeds.WebhookRegistry.MigrateAsync(admin, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_embedded is not null) await _embedded.DisposeAsync();
    }
}
