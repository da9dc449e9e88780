using System.Data;
using Npgsql;
using Records.Projections.Regulator;
using Records.Projections.Runner;
using Records.Projections.Tests.Views;
using Records.Testing.Histories;

namespace Records.Projections.Tests.Regulator;

/// <summary>The regulator keeps its facts, open obligations and which keys its facts table holds in memory between batches: a memory must always be a state of the view.</summary>
public class RegulatorMemoryTests : IAsyncLifetime
{
    private readonly HistoryDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private static RegulatorProjection View() => new(RegulatorOptions.WithDefaultRules(RegulatorHarness.PseudonymKey));

    [Fact]
    public async Task A_batch_that_read_rows_another_writer_had_already_applied_is_not_remembered()
    {
        var steps = HistoryDatabase.History(seed: 11, patients: 60);
        await _database.AppendAsync(steps.Take(steps.Count / 2));
        // Another process keeps the view up to the head, then stops.
        await using (var other = new ProjectionRunner(_database.Store, [View()]))
        {
            await other.StartAsync();
            await _database.WaitUntilCaughtUpAsync(other, RegulatorProjection.SchemaName);
        }
        var head = await _database.Store.ReadHeadAsync();

        // This process's view applies the same events as one batch, in one repeatable-read transaction as its runner does,
        // but the other got there first: the batch reads the other's rows and applies the events to them a second time. Its
        // checkpoint's move would fail, so it is rolled back, as the runner's is.
        var view = View();
        var batch = await _database.Store.ReadAllAsync(0, (int)head);
        await using (var connection = await _database.App.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead))
        {
            await using var writes = new NpgsqlBatch(connection);
            await view.ApplyAsync(connection, view.Name, batch, writes, CancellationToken.None);
            await transaction.RollbackAsync();
        }

        // Then it keeps the view from the checkpoint, which is where that batch ended: it must read the tables, not go on
        // from what the undone batch built.
        await using var runner = new ProjectionRunner(_database.Store, [view]);
        await runner.StartAsync();
        await _database.AppendAsync(steps.Skip(steps.Count / 2));
        await _database.WaitUntilCaughtUpAsync(runner, RegulatorProjection.SchemaName);
        var kept = await _database.ChecksumAsync(RegulatorProjection.SchemaName);

        await runner.RebuildAsync(RegulatorProjection.SchemaName);
        Assert.Equal(await _database.ChecksumAsync(RegulatorProjection.SchemaName), kept);
    }

    // Most live batches bring new records (a first visit, a new prescription). The table holds no facts of them, and the
    // memory knows which keys the table holds, so such a batch reads nothing before its writes.
    [Fact]
    public async Task A_batch_of_new_records_reads_nothing_of_the_tables()
    {
        Assert.Null(await ApplyNewPatientWhileFactsAreLockedAsync(View()));
    }

    // The control: a memory that keeps no facts must read those of records the table holds (the log's clock, the doctor).
    [Fact]
    public async Task A_batch_reads_the_facts_of_records_the_memory_let_go_of()
    {
        var forgetful = new RegulatorProjection(RegulatorOptions.WithDefaultRules(RegulatorHarness.PseudonymKey) with { FactsKept = 0 });
        var error = await ApplyNewPatientWhileFactsAreLockedAsync(forgetful);
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, error?.SqlState);
    }

    /// <summary>
    /// Applies a history to tables of its own, then a new patient's first steps while another transaction holds the
    /// facts and obligations tables: returns the error if that batch tried to read them (its wait for the lock times out), else null.
    /// </summary>
    private async Task<PostgresException?> ApplyNewPatientWhileFactsAreLockedAsync(RegulatorProjection view)
    {
        const string Schema = "regulator_memory";
        var known = await _database.AppendAsync(new HistoryGenerator(new HistoryOptions { Seed = 5, Patients = 20 }).Generate());
        var added = await _database.AppendAsync(
            new HistoryGenerator(new HistoryOptions { Seed = 5, Patients = 1, FirstPatient = 1_000 }).Generate().Where(s => s.Lane > 0).Take(3));
        var log = await _database.ReadLogAsync(known + added);

        await using var connection = await _database.App.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand($"create schema {Schema}", connection)) await create.ExecuteNonQueryAsync();
        await view.CreateAsync(connection, Schema, CancellationToken.None);
        await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead))
        {
            await using var writes = new NpgsqlBatch(connection);
            await view.ApplyAsync(connection, Schema, log.Take((int)known).ToList(), writes, CancellationToken.None);
            await writes.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await using var other = await _database.App.OpenConnectionAsync();
        await using var holding = await other.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"lock table {Schema}.facts, {Schema}.obligations in access exclusive mode", other)) await hold.ExecuteNonQueryAsync();
        await using (var patience = new NpgsqlCommand("set lock_timeout = '1s'", connection)) await patience.ExecuteNonQueryAsync();
        await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead))
        {
            try
            {
                await using var writes = new NpgsqlBatch(connection);
                await view.ApplyAsync(connection, Schema, log.Skip((int)known).ToList(), writes, CancellationToken.None);
                Assert.NotEmpty(writes.BatchCommands);
                return null;
            }
            catch (PostgresException e)
            {
                return e;
            }
        }
    }
}
