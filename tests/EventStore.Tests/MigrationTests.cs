using Records.EventStore.Migrations;
using Records.Testing;

namespace Records.EventStore.Tests;

public class MigrationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Migrations_run_twice_and_from_two_processes_at_once_apply_once()
    {
        await using var admin = Npgsql.NpgsqlDataSource.Create(database.AdminConnectionString);
        var concurrent = await Task.WhenAll(EventStoreSchema.MigrateAsync(admin), EventStoreSchema.MigrateAsync(admin));
        Assert.Equal(1, concurrent.Count(applied => applied.Count > 0));
        Assert.Empty(await EventStoreSchema.MigrateAsync(admin));

        await using var history = admin.CreateCommand("select count(*) from eventstore.schema_history");
        Assert.Equal(Migration.FromResources(typeof(EventStoreSchema).Assembly).Count, (long)(await history.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_migration_changed_after_it_was_applied_is_refused()
    {
        await using var admin = Npgsql.NpgsqlDataSource.Create(database.AdminConnectionString);
        var original = new Migration(1, "widgets", "create table mig_test.widgets (id int)");
        await Migrator.ApplyAsync(admin, "mig_test", [original]);

        var edited = original with { Sql = "create table mig_test.widgets (id bigint)" };
        var error = await Assert.ThrowsAsync<MigrationException>(() => Migrator.ApplyAsync(admin, "mig_test", [edited]));
        Assert.Contains("additive", error.Message);

        var added = new Migration(2, "gadgets", "create table mig_test.gadgets (id int)");
        Assert.Equal([added], await Migrator.ApplyAsync(admin, "mig_test", [original, added]));
    }
}
