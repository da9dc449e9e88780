using Npgsql;
using Records.EventStore;
using Records.EventStore.Postgres;

namespace Records.Bench;

/// <summary>
/// A fresh database for one benchmark run with the event store's schema and the application's
/// append-only login: on RECORDS_BENCH_CONNECTION (a superuser connection string) or else on an
/// embedded cluster in a temp folder of the benchmark's. Dropped, and the cluster stopped, at the end.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private const string Login = "records_bench";
    private const string Password = "records-bench";
    private readonly EmbeddedPostgres? _embedded;
    private readonly string _server;
    private readonly string _database;

    private BenchDatabase(EmbeddedPostgres? embedded, string server, string database, NpgsqlDataSource admin)
    {
        _embedded = embedded;
        _server = server;
        _database = database;
        Admin = admin;
    }

    /// <summary>A superuser's connections to the benchmark's database.</summary>
    public NpgsqlDataSource Admin { get; }

    /// <summary>The superuser's connection string, password included (a data source's own string leaves it out), for a host that migrates.</summary>
    public string AdminConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ConnectionString;

    public static async Task<BenchDatabase> CreateAsync(string folder, bool durable)
    {
        EmbeddedPostgres? embedded = null;
        var server = Environment.GetEnvironmentVariable("RECORDS_BENCH_CONNECTION");
        if (string.IsNullOrEmpty(server))
        {
            embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(Path.Combine(Path.GetTempPath(), folder)) { Durable = durable });
            server = embedded.ConnectionString();
        }
        var database = "bench_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = NpgsqlDataSource.Create(server))
        await using (var create = connection.CreateCommand($"create database {database}"))
            await create.ExecuteNonQueryAsync();
        var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
        await EventStoreSchema.MigrateAsync(admin);
        await EventStoreSchema.EnsureLoginRoleAsync(admin, Login, Password);
        return new BenchDatabase(embedded, server, database, admin);
    }

    /// <summary>Connections as the application's own role, which may only read and append events.</summary>
    public NpgsqlDataSource App(int maxPoolSize, int maxAutoPrepare) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(Admin.ConnectionString)
            { Username = Login, Password = Password, MaxAutoPrepare = maxAutoPrepare, MaxPoolSize = maxPoolSize }.ConnectionString);

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = NpgsqlDataSource.Create(_server);
            await using var drop = connection.CreateCommand($"drop database {_database} with (force)");
            await drop.ExecuteNonQueryAsync();
        }
        finally
        {
            if (_embedded is not null) await _embedded.DisposeAsync();
        }
    }
}
