using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Records.Api.Hosting;
using Records.Testing;

namespace Records.Api.Tests.Hosting;

/// <summary>The product's database when a connection string is configured (a server of the hospital's own).</summary>
public sealed class RecordsDatabaseTests : IAsyncLifetime
{
    private readonly EventStoreDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    // Npgsql prepares nothing unless told to: a configured string without the setting gets the product's, and one
    // that sets it (0 turns preparation off, as some connection poolers need) is left as it is.
    [Theory]
    [InlineData("", true)]
    [InlineData(";Max Auto Prepare=0", false)]
    public async Task A_configured_connection_prepares_the_statements_it_repeats_unless_told_not_to(string setting, bool prepared)
    {
        var configured = new NpgsqlConnectionStringBuilder(_database.AdminConnectionString)
            { Username = EventStoreDatabase.AppLogin, Password = EventStoreDatabase.AppPassword }.ConnectionString + setting;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Records"] = configured,
            ["ConnectionStrings:RecordsAdmin"] = _database.AdminConnectionString,
        }).Build();
        await using var database = await RecordsDatabase.OpenAsync(configuration, NullLogger.Instance, CancellationToken.None);

        await using var connection = await database.App.OpenConnectionAsync();
        for (var i = 0; i < 10; i++)
        {
            await using var head = new NpgsqlCommand("select coalesce(max(sequence), 0) from eventstore.global_log", connection);
            await head.ExecuteScalarAsync();
        }
        await using var count = new NpgsqlCommand("select count(*) from pg_prepared_statements", connection);
        Assert.Equal(prepared, (long)(await count.ExecuteScalarAsync())! > 0);
    }
}
