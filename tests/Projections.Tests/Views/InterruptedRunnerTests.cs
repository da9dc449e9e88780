using Npgsql;
using Records.EventStore;
using Records.Projections.Access;
using Records.Projections.Emr;
using Records.Projections.Runner;
using Records.Projections.Traceability;

namespace Records.Projections.Tests.Views;

public class InterruptedRunnerTests : IAsyncLifetime
{
    private readonly HistoryDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    /// <summary>A view that writes a batch itself and pauses, before the runner commits it: a stop then lands in the middle of the batch.</summary>
    private sealed class Pausing(IProjection view) : IProjection
    {
        public TimeSpan Pause { get; set; } = TimeSpan.FromMilliseconds(150);

        public string Name => view.Name;

        public int Version => view.Version;

        public Task CreateAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken) => view.CreateAsync(connection, schema, cancellationToken);

        public Task CreateIndexesAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken) => view.CreateIndexesAsync(connection, schema, cancellationToken);

        public EventParts Reads => view.Reads;

        public async Task ApplyAsync(NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, NpgsqlBatch writes, CancellationToken cancellationToken)
        {
            await view.ApplyAsync(connection, schema, events, writes, cancellationToken);
            if (writes.BatchCommands.Count > 0) await writes.ExecuteNonQueryAsync(cancellationToken);
            writes.BatchCommands.Clear();
            await Task.Delay(Pause, cancellationToken);
        }
    }

    [Fact]
    public async Task Stopped_in_the_middle_of_a_batch_and_restarted_the_views_equal_an_uninterrupted_run()
    {
        var steps = HistoryDatabase.History(seed: 3, patients: 80);
        await _database.AppendAsync(steps.Take(steps.Count / 4));
        Pausing[] views = [new(new EmrView()), new(new AccessView()), new(new TraceabilityView())];
        var names = views.Select(v => v.Name).ToArray();
        var first = new ProjectionRunner(_database.Store, views, options: new ProjectionRunnerOptions { BatchSize = 60 });
        await first.StartAsync();
        await _database.AppendAsync(steps.Skip(steps.Count / 4));
        await first.DisposeAsync(); // cancels the batches in flight: their transactions roll back
        var head = await _database.Store.ReadHeadAsync();
        var stoppedAt = await first.StatusAsync();
        Assert.All(stoppedAt, s => Assert.True(s.Position < head, $"{s.Name} should have been stopped before the end"));

        foreach (var view in views) view.Pause = TimeSpan.Zero;
        await using var second = new ProjectionRunner(_database.Store, views);
        await second.StartAsync();
        await _database.WaitUntilCaughtUpAsync(second, names);
        foreach (var name in names)
        {
            var resumed = await _database.ChecksumAsync(name);
            await second.RebuildAsync(name); // the uninterrupted run: every event once, in order
            Assert.Equal(await _database.ChecksumAsync(name), resumed);
        }
    }
}
