using System.Diagnostics;
using Npgsql;
using Records.EventStore.Sequencing;
using Records.EventStore.Verification;
using Records.Testing;

namespace Records.EventStore.Tests;

public class CrashTests : IAsyncLifetime
{
    private readonly EventStoreDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_process_killed_while_appending_and_sequencing_loses_nothing_and_repeats_nothing_after_a_restart()
    {
        var appConnection = new NpgsqlConnectionStringBuilder(_database.AdminConnectionString)
            { Username = EventStoreDatabase.AppLogin, Password = EventStoreDatabase.AppPassword }.ConnectionString;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Records.EventStore.TestProcess.dll"));
        start.ArgumentList.Add("write");
        start.ArgumentList.Add(appConnection);
        start.ArgumentList.Add("6");
        using var writer = Process.Start(start)!;

        // Let it get well under way: appending, and sequencing behind the appends.
        string? line;
        while ((line = await writer.StandardOutput.ReadLineAsync()) is not null)
        {
            var parts = line.Split(' ');
            if (long.Parse(parts[1]) >= 600 && long.Parse(parts[3]) > 0) break;
        }
        writer.Kill(entireProcessTree: true);
        await writer.WaitForExitAsync();

        var store = new PostgresEventStore(_database.App);
        await using (var sequencer = new Sequencer(_database.App, options: new SequencerOptions { FollowerPollInterval = TimeSpan.FromMilliseconds(100) }))
        {
            sequencer.Start();
            // The killed process's session, and its leader lock, go when the server notices the broken connection.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await store.ReadHeadAsync() < await CountEvents() && DateTime.UtcNow < deadline) await Task.Delay(50);
        }

        var events = await CountEvents();
        var log = await store.ReadAllAsync(0, 1_000_000);
        Assert.True(events >= 600);
        Assert.Equal(Enumerable.Range(1, (int)events).Select(s => (long)s), log.Select(e => e.Sequence!.Value));
        Assert.Equal(events, log.Select(e => e.EventId).Distinct().Count());
        foreach (var stream in log.GroupBy(e => e.StreamId))
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(v => (long)v), stream.Select(e => e.Version));
        Assert.True((await new ChainVerifier(_database.App).VerifyAllAsync()).IsIntact);
    }

    private async Task<long> CountEvents()
    {
        await using var count = _database.Admin.CreateCommand("select count(*) from eventstore.events");
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
