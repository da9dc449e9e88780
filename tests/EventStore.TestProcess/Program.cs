using Npgsql;
using Records.EventStore;
using Records.EventStore.Postgres;
using Records.EventStore.Sequencing;

// A process the tests run apart from themselves:
//   write <connection string> <writers>: appends commands of 1-3 events from several writers, with a
//       sequencer running, reporting progress on standard output, until it is killed;
//   embedded <folder>: starts an embedded cluster there, runs one query, stops it, prints "ok <port>".
switch (args[0])
{
    case "write":
        await WriteUntilKilled(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        break;
    case "embedded":
        await using (var cluster = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(args[1]) { Durable = false }))
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString()))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync();
            Console.WriteLine($"ok {cluster.Port}");
        }
        break;
    default:
        throw new ArgumentException($"unknown verb '{args[0]}'");
}

static async Task WriteUntilKilled(string connectionString, int writers)
{
    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    var store = new PostgresEventStore(dataSource);
    await using var sequencer = new Sequencer(dataSource);
    sequencer.Start();
    long appended = 0;
    await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
    {
        for (var command = 0; ; command++)
        {
            var events = Enumerable.Range(0, 1 + command % 3)
                .Select(i => new EventData("crash.written.v1", System.Text.Encoding.UTF8.GetBytes($"{{\"writer\":{writer},\"command\":{command},\"i\":{i}}}")))
                .ToArray();
            await store.AppendAsync($"crash-{writer}-{command % 7}", "crash", ExpectedVersion.Any, events, EventMetadata.None);
            Console.WriteLine($"appended {Interlocked.Add(ref appended, events.Length)} sequenced {sequencer.Head}");
        }
    })));
}
