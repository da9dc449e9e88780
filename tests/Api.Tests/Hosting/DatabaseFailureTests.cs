using Records.Api.Schema;
using Records.Api.Tests.Reads;
using Records.Domain;
using Records.Testing;

namespace Records.Api.Tests.Hosting;

/// <summary>The database turning requests away: a typed error the client can act on, never "Unexpected error.".</summary>
public sealed class DatabaseFailureTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>
{
    private const string Query = "{ myPatients(first: 5) { edges { node { patientId } } } }";
    private static readonly Actor Doctor = new("dr-db", Role.Physician, true);

    [Fact]
    public async Task A_request_the_database_cannot_serve_for_now_gets_a_typed_error_and_is_answered_once_it_can()
    {
        var client = new GraphQLClient(host);
        await client.DataAsync(Doctor, Query, "myPatients");

        // The database is full (too many connections, a passing failure): the application's connections are cut, the
        // host's pool forgets them, and new ones are refused until the limit is lifted. Only this test's database is limited.
        await AdminAsync("do $$ begin execute format('alter database %I connection limit 0', current_database()); end $$");
        try
        {
            await AdminAsync($"select pg_terminate_backend(pid) from pg_stat_activity where usename = '{EventStoreDatabase.AppLogin}' and datname = current_database()");
            host.Host.Database.App.Clear();

            Assert.Equal(DatabaseErrors.Unavailable, await client.ErrorCodeAsync(Doctor, Query));
        }
        finally
        {
            await AdminAsync("do $$ begin execute format('alter database %I connection limit -1', current_database()); end $$");
        }
        await client.DataAsync(Doctor, Query, "myPatients");
    }

    private async Task AdminAsync(string sql)
    {
        await using var command = host.Admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
