using Npgsql;
using Records.EventStore;
using Records.EventStore.Sequencing;
using Records.Projections.Runner;
using Records.Testing;
using Records.Testing.Histories;

namespace Records.Projections.Tests.Views;

/// <summary>
/// A test database with the event store, the projections' checkpoints and a running sequencer,
/// and the means to append generated histories and to compare views.
/// </summary>
public class HistoryDatabase : IAsyncLifetime
{
    private readonly EventStoreDatabase _database = new();

    public PostgresEventStore Store { get; private set; } = null!;

    public NpgsqlDataSource App => _database.App;

    private Sequencer _sequencer = null!;

    public virtual async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await ProjectionRunner.MigrateAsync(_database.Admin);
        Store = new PostgresEventStore(_database.App);
        _sequencer = new Sequencer(_database.App);
        _sequencer.Start();
    }

    public virtual async Task DisposeAsync()
    {
        await _sequencer.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>The fixed-seed history these tests use: several thousand events.</summary>
    public static IReadOnlyList<HistoryStep> History(int seed = 7, int patients = 120) =>
        new HistoryGenerator(new HistoryOptions { Seed = seed, Patients = patients }).Generate().ToList();

    public Task<long> AppendAsync(IEnumerable<HistoryStep> steps) => HistoryWriter.AppendAsync(Store, steps);

    /// <summary>Waits until every committed event is numbered and <paramref name="views"/> have applied them all.</summary>
    public async Task WaitUntilCaughtUpAsync(ProjectionRunner runner, params string[] views)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var unsequenced = await ScalarAsync<long>("select (select count(*) from eventstore.events) - (select count(*) from eventstore.global_log)");
            var head = await Store.ReadHeadAsync();
            var statuses = await runner.StatusAsync();
            if (statuses.FirstOrDefault(s => s.State == ProjectionState.Failed) is { } failed)
                throw new InvalidOperationException($"View {failed.Name} stopped on event {failed.FailedEventId}: {failed.Error}");
            if (unsequenced == 0 && views.All(v => statuses.Single(s => s.Name == v).Position == head)) return;
            await Task.Delay(25);
        }
        throw new TimeoutException("The views did not catch up within 120 s.");
    }

    /// <summary>The whole log, once the sequencer has numbered <paramref name="count"/> events.</summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadLogAsync(long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var log = await Store.ReadAllAsync(0, (int)count + 1);
            if (log.Count == count) return log;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The sequencer numbered {log.Count} of {count} events within 60 s.");
            await Task.Delay(25);
        }
    }

    /// <summary>A checksum of every row of every table of a view's schema, and its indexes.</summary>
    public async Task<string> ChecksumAsync(string schema)
    {
        var tables = new List<string>();
        await using (var list = App.CreateCommand("select table_name from information_schema.tables where table_schema = $1 order by table_name"))
        {
            list.Parameters.Add(new() { Value = schema });
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        if (tables.Count == 0) throw new InvalidOperationException($"Schema {schema} has no tables.");
        var sums = new List<string>();
        foreach (var table in tables)
        {
            var sum = await ScalarAsync<string>($"select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from {schema}.{table} t");
            sums.Add($"{table}={sum}");
        }
        // And its indexes, as a reader's queries need them whichever way the view was built.
        sums.Add("indexes=" + await ScalarAsync<string>(
            "select count(*) || ':' || string_agg(indexdef, '|' order by indexname) from pg_indexes where schemaname = $1", schema));
        return string.Join(", ", sums);
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = App.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new() { Value = parameter });
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
