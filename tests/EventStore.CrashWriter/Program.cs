using Npgsql;
using Records.EventStore;
using Records.EventStore.Sequencing;

// Usage: Records.EventStore.CrashWriter <connection string> <writers>
// Appends commands of 1-3 events from several writers, with a sequencer running, and reports its
// progress on standard output, until it is killed.
await using var dataSource = NpgsqlDataSource.Create(args[0]);
var writers = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var store = new PostgresEventStore(dataSource);
await using var sequencer = new Sequencer(dataSource);
sequencer.Start();
long appended = 0;
var tasks = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
{
    for (var command = 0; ; command++)
    {
        var events = Enumerable.Range(0, 1 + command % 3)
            .Select(i => new EventData("crash.written.v1", System.Text.Encoding.UTF8.GetBytes($"{{\"writer\":{writer},\"command\":{command},\"i\":{i}}}")))
            .ToArray();
        await store.AppendAsync($"crash-{writer}-{command % 7}", "crash", ExpectedVersion.Any, events, EventMetadata.None);
        Console.WriteLine($"appended {Interlocked.Add(ref appended, events.Length)} sequenced {sequencer.Head}");
    }
})).ToArray();
await Task.WhenAll(tasks);
