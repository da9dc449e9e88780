using System.Data;
using Npgsql;
using Records.Projections.Regulator;
using Records.Projections.Runner;
using Records.Projections.Tests.Views;

namespace Records.Projections.Tests.Regulator;

/// <summary>The regulator keeps its facts and open obligations in memory between batches: a memory must always be a state of the view.</summary>
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
}
