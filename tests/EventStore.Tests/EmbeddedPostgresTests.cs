using Npgsql;
using Records.EventStore.Postgres;
using Records.Testing;

namespace Records.EventStore.Tests;

public class EmbeddedPostgresTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _database;

    public EmbeddedPostgresTests(TestDatabase database) => _database = database;

    [Fact]
    public async Task Each_test_class_gets_a_database_of_its_own()
    {
        await using var connection = new NpgsqlConnection(_database.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_database(), current_setting('server_version_num')::int", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(_database.Name, reader.GetString(0));
        Assert.True(reader.GetInt32(1) >= 150000, "the embedded cluster runs PostgreSQL 15 or later");
    }

    [Fact]
    public async Task A_cluster_can_be_made_stopped_and_started_again_in_its_folder()
    {
        var root = Path.Combine(Path.GetTempPath(), "records-embedded-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var first = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(root) { Durable = false });
            await Execute(first.ConnectionString(), "create table kept(x int); insert into kept values (42)");
            await first.DisposeAsync();

            await using var second = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(root) { Durable = false });
            await using var connection = new NpgsqlConnection(second.ConnectionString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select x from kept", connection);
            Assert.Equal(42, (int)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task An_ordinary_user_can_start_a_cluster_too()
    {
        // Tests run as root here; run the start-up as the unprivileged 'nobody' in a process of its own.
        Assert.True(Environment.UserName == "root", "this test checks the non-root path from a root test run");
        var root = Path.Combine(Path.GetTempPath(), "records-nobody-" + Guid.NewGuid().ToString("N")[..8]);
        var home = Directory.CreateTempSubdirectory("records-nobody-home-");
        try
        {
            await Run("chown", "nobody", home.FullName);
            // The test's own folder may sit under a folder only root may enter (mktemp -d makes 0700 ones).
            var programs = Path.Combine(home.FullName, "bin");
            await Run("cp", "-r", AppContext.BaseDirectory, programs);
            await Run("chmod", "-R", "a+rX", home.FullName);
            var start = new System.Diagnostics.ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-u", "nobody", "--", "env", $"HOME={home.FullName}", $"DOTNET_CLI_HOME={home.FullName}", "dotnet",
                Path.Combine(programs, "Records.EventStore.TestProcess.dll"), "embedded", root })
                start.ArgumentList.Add(a);
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, error);
            Assert.StartsWith("ok ", output);
            Assert.Equal("nobody", Owner(Path.Combine(root, "pgdata")));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            home.Delete(recursive: true);
        }
    }

    private static string Owner(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        return process.StandardOutput.ReadToEnd().Trim();
    }

    private static async Task Run(string file, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, arguments))!;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_data_folder_the_postgres_user_cannot_reach_is_named_in_the_error()
    {
        Assert.True(Environment.UserName == "root", "the server runs as 'postgres' only when we are root");
        var closed = Directory.CreateTempSubdirectory("records-closed-"); // mode 0700, as mktemp -d makes
        try
        {
            var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() =>
                EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(Path.Combine(closed.FullName, "repo", ".records")) { Durable = false }));
            Assert.Contains($"cannot pass the folder '{closed.FullName}'", error.Message);
            Assert.Contains("chmod o+x", error.Message);
        }
        finally
        {
            closed.Delete(recursive: true);
        }
    }

    [Fact]
    public void Without_server_binaries_the_error_says_what_to_install()
    {
        var empty = Directory.CreateTempSubdirectory("no-postgres-");
        try
        {
            var error = Assert.Throws<EmbeddedPostgresException>(() => PostgresBinaries.Locate([empty.FullName]));
            Assert.Contains("apt-get install postgresql", error.Message);
            Assert.Contains("connection string", error.Message);
        }
        finally
        {
            empty.Delete();
        }
    }

    [Fact]
    public void The_machines_binaries_are_found()
    {
        var found = PostgresBinaries.Locate();
        Assert.True(File.Exists(Path.Combine(found.Directory, "initdb")));
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
