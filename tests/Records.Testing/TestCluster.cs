using Npgsql;
using Xunit;
using Records.EventStore.Postgres;

namespace Records.Testing;

/// <summary>
/// The PostgreSQL server the tests of one test assembly share: the one named by the
/// RECORDS_TEST_CONNECTION environment variable (a superuser connection string), or else a private
/// embedded cluster started on first use and stopped when the test process exits.
/// </summary>
public static class TestCluster
{
    private static readonly Lazy<Task<string>> AdminConnection = new(StartAsync);

    /// <summary>A superuser connection string to the cluster's <c>postgres</c> database.</summary>
    public static Task<string> AdminConnectionStringAsync() => AdminConnection.Value;

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("RECORDS_TEST_CONNECTION") is { Length: > 0 } external)
            return external;

        // One folder per test project (its output folder), so test assemblies run side by side.
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AppContext.BaseDirectory)))[..12];
        var root = Path.Combine(Path.GetTempPath(), "records-test-clusters", key);
        var cluster = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(root) { Durable = false, MaxConnections = 400 });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopImmediately();
        return cluster.ConnectionString();
    }
}

/// <summary>
/// A database of its own for one test class (use it as a class fixture), so test classes run in
/// parallel without seeing each other's rows. Dropped when the class is done.
/// </summary>
public class TestDatabase : IAsyncLifetime
{
    public string Name { get; } = "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Superuser connection string to this database.</summary>
    public string AdminConnectionString { get; private set; } = "";

    public virtual async Task InitializeAsync()
    {
        var admin = await TestCluster.AdminConnectionStringAsync();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name} TEMPLATE template0 ENCODING 'UTF8'", connection);
            await create.ExecuteNonQueryAsync();
        }
        AdminConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Name }.ConnectionString;
    }

    public virtual async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var admin = await TestCluster.AdminConnectionStringAsync();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
