using Records.Projections.Access;
using Records.Projections.Emr;
using Records.Projections.Runner;
using Records.Projections.Traceability;

namespace Records.Projections.Tests.Views;

/// <summary>
/// Each view kept current batch by batch while a randomized history is written equals the same
/// view rebuilt from zero (the checksum of all its tables), and holds rows of every kind.
/// </summary>
public class ViewConsistencyTests : IClassFixture<ViewConsistencyTests.Histories>
{
    /// <summary>One database per view, each given the same fixed-seed history.</summary>
    public sealed class Histories
    {
        public IReadOnlyList<Testing.Histories.HistoryStep> Steps { get; } = HistoryDatabase.History();
    }

    private readonly Histories _histories;

    public ViewConsistencyTests(Histories histories) => _histories = histories;

    public static TheoryData<string> Views => ["emr", "access", "traceability"];

    private static IProjection View(string name) => name switch
    {
        "emr" => new EmrView(),
        "access" => new AccessView(),
        _ => new TraceabilityView(),
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task Kept_current_in_small_batches_it_equals_a_rebuild_from_zero(string name)
    {
        var database = new HistoryDatabase();
        await database.InitializeAsync();
        try
        {
            var steps = _histories.Steps;
            var events = await database.AppendAsync(steps.Take(steps.Count / 3));
            await using var runner = new ProjectionRunner(database.Store, [View(name)], options: new ProjectionRunnerOptions { BatchSize = 37 });
            await runner.StartAsync();
            events += await database.AppendAsync(steps.Skip(steps.Count / 3));
            await database.WaitUntilCaughtUpAsync(runner, name);
            var incremental = await database.ChecksumAsync(name);

            await runner.RebuildAsync(name);
            Assert.True(events > 3000, "the history should hold several thousand events");
            Assert.Equal(incremental, await database.ChecksumAsync(name));
            Assert.DoesNotContain("=0:", incremental); // every table has rows
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}
