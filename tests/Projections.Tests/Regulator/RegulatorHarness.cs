using Npgsql;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Projections.Regulator;
using Records.Projections.Runner;
using Records.Projections.Streams;
using Records.Testing;

namespace Records.Projections.Tests.Regulator;

/// <summary>A fresh database per test (the log's clock is global, so tests must not share one), the regulator view running on it, and its queries.</summary>
public abstract class RegulatorHarness : IAsyncLifetime
{
    /// <summary>The test key; in a deployment it comes from configuration.</summary>
    internal static readonly byte[] PseudonymKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private readonly EventStoreDatabase _database = new();
    private Sequencer _sequencer = null!;

    internal PostgresEventStore Store { get; private set; } = null!;

    internal DomainStore Domain { get; private set; } = null!;

    internal ProjectionRunner Runner { get; private set; } = null!;

    internal RegulatorQueries Queries { get; private set; } = null!;

    internal NpgsqlDataSource Admin => _database.Admin;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await ProjectionRunner.MigrateAsync(_database.Admin);
        Store = new PostgresEventStore(_database.App);
        Domain = new DomainStore(Store);
        _sequencer = new Sequencer(_database.App);
        _sequencer.Start();
        Runner = new ProjectionRunner(Store, [new RegulatorProjection(RegulatorOptions.WithDefaultRules(PseudonymKey))], options: new ProjectionRunnerOptions { BatchSize = 7 });
        await Runner.StartAsync();
        Queries = new RegulatorQueries(_database.App, new Pseudonymizer(PseudonymKey));
    }

    public async Task DisposeAsync()
    {
        await Runner.DisposeAsync();
        await _sequencer.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Waits until every appended event is sequenced and applied to the view; fails with the view's error if it stopped.</summary>
    internal async Task CaughtUpAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var status = (await Runner.StatusAsync()).Single(s => s.Name == RegulatorProjection.SchemaName);
            if (status.State == ProjectionState.Failed) throw new InvalidOperationException($"The regulator view failed at {status.FailedSequence}: {status.Error}");
            if (await Scalar<long>("select (select count(*) from eventstore.events) - (select count(*) from eventstore.global_log)") == 0
                && status.Position == await Store.ReadHeadAsync())
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The regulator view did not catch up within 60 s.");
    }

    internal async Task<T> Scalar<T>(string sql)
    {
        await using var command = _database.Admin.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
