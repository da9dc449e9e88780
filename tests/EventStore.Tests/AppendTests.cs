using System.Text.Json;
using NodaTime;
using Npgsql;
using Records.EventStore.Hashing;
using Records.EventStore.Verification;
using Records.Testing;

namespace Records.EventStore.Tests;

public class AppendTests(EventStoreDatabase database) : IClassFixture<EventStoreDatabase>
{
    private readonly PostgresEventStore _store = new(database.App);

    [Fact]
    public async Task Appended_events_are_read_back_with_all_their_metadata_and_a_valid_chain()
    {
        var stream = "order-" + Guid.NewGuid();
        var claimed = Instant.FromUtc(2026, 11, 1, 8, 30, 15).PlusNanoseconds(123_456_789);
        var metadata = Events.Metadata(Guid.NewGuid()) with
        {
            ClaimedAt = claimed,
            CausationId = Guid.NewGuid(),
            DeviceId = "ipad-7",
            PurposeOfUse = "treatment",
        };
        var result = await _store.AppendAsync(stream, "order", ExpectedVersion.NoStream,
            [Events.Json("order.placed.v1", new { item = "x", qty = 2 }), Events.Json("order.paid.v1", new { amount = 12.5 })], metadata);

        Assert.False(result.Replayed);
        Assert.Equal(2, result.LastVersion);
        var read = await _store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal([1L, 2L], read.Select(e => e.Version));
        Assert.Equal(["order.placed.v1", "order.paid.v1"], read.Select(e => e.EventType));
        Assert.Equal(result.Events.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.All(read, e => Assert.Equal("order", e.StreamType));
        Assert.Equal(2, JsonDocument.Parse(read[0].Data).RootElement.GetProperty("qty").GetInt32());
        var stored = read[0].Metadata;
        Assert.Equal(metadata.Actor, stored.Actor);
        Assert.Equal(EventHash.ToStoredPrecision(claimed), stored.ClaimedAt);
        Assert.Equal(metadata.CommandId, stored.CommandId);
        Assert.Equal(metadata.CorrelationId, stored.CorrelationId);
        Assert.Equal(metadata.CausationId, stored.CausationId);
        Assert.Equal("ipad-7", stored.DeviceId);
        Assert.Equal("treatment", stored.PurposeOfUse);
        Assert.Equal("hospital-1", stored.InstitutionId);
        Assert.Equal(read[0].Hash, read[1].PreviousHash);
        Assert.Equal(ChainAlgorithm.Genesis, read[0].PreviousHash);

        var report = await new ChainVerifier(database.App).VerifyStreamAsync(stream);
        Assert.True(report.IsIntact, report.First?.Message);
        Assert.Equal(2, report.EventsChecked);
    }

    [Fact]
    public async Task A_stream_chained_with_sm3_then_sha256_verifies_link_by_link()
    {
        var stream = "sm3-" + Guid.NewGuid();
        var sm3 = new PostgresEventStore(database.App, ChainAlgorithm.Sm3);
        await sm3.AppendAsync(stream, "s", ExpectedVersion.NoStream, Events.Some(2), Events.Metadata());
        await _store.AppendAsync(stream, "s", ExpectedVersion.Exactly(2), Events.Some(1), Events.Metadata());

        var read = await _store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal(["sm3", "sm3", "sha256"], read.Select(e => e.HashAlgorithm));
        Assert.True((await new ChainVerifier(database.App).VerifyStreamAsync(stream)).IsIntact);
    }

    [Fact]
    public async Task Expected_versions_are_enforced_and_a_loser_learns_the_actual_version()
    {
        var stream = "s-" + Guid.NewGuid();
        await _store.AppendAsync(stream, "s", ExpectedVersion.NoStream, Events.Some(2), EventMetadata.None);

        var noStream = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            _store.AppendAsync(stream, "s", ExpectedVersion.NoStream, Events.Some(1), EventMetadata.None));
        Assert.Equal(2, noStream.ActualVersion);
        Assert.Equal("concurrency_conflict", noStream.Code);

        var stale = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            _store.AppendAsync(stream, "s", ExpectedVersion.Exactly(1), Events.Some(1), EventMetadata.None));
        Assert.Equal(2, stale.ActualVersion);

        var missing = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            _store.AppendAsync("absent-" + Guid.NewGuid(), "s", ExpectedVersion.Exactly(3), Events.Some(1), EventMetadata.None));
        Assert.Equal(0, missing.ActualVersion);

        Assert.Equal(3, (await _store.AppendAsync(stream, "s", ExpectedVersion.Exactly(2), Events.Some(1), EventMetadata.None)).LastVersion);
        Assert.Equal(5, (await _store.AppendAsync(stream, "s", ExpectedVersion.Any, Events.Some(2), EventMetadata.None)).LastVersion);
        Assert.Equal(5, await _store.ReadStreamAsync(stream).CountAsync());
    }

    [Fact]
    public async Task A_retried_command_returns_the_first_result_and_writes_nothing()
    {
        var stream = "s-" + Guid.NewGuid();
        var commandId = Guid.NewGuid();
        var first = await _store.AppendAsync(stream, "s", ExpectedVersion.NoStream, Events.Some(2), Events.Metadata(commandId));
        // The retry would now fail its version check; the command id answers first.
        var retry = await _store.AppendAsync(stream, "s", ExpectedVersion.NoStream, Events.Some(2), Events.Metadata(commandId));

        Assert.True(retry.Replayed);
        Assert.Equal(first.Events.Select(e => e.EventId), retry.Events.Select(e => e.EventId));
        Assert.Equal(first.Events.Select(e => Convert.ToHexString(e.Hash)), retry.Events.Select(e => Convert.ToHexString(e.Hash)));
        Assert.Equal(first.RecordedAt, retry.RecordedAt);
        Assert.Equal(2, await _store.ReadStreamAsync(stream).CountAsync());
    }

    [Fact]
    public async Task Concurrent_retries_of_one_command_write_it_once()
    {
        var stream = "s-" + Guid.NewGuid();
        var commandId = Guid.NewGuid();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _store.AppendAsync(stream, "s", ExpectedVersion.Any, Events.Some(1), Events.Metadata(commandId))));

        Assert.Single(results, r => !r.Replayed);
        Assert.Single(results.Select(r => r.Events[0].EventId).Distinct());
        Assert.Equal(1, await _store.ReadStreamAsync(stream).CountAsync());
    }

    [Fact]
    public async Task Streams_read_backward_and_from_a_version()
    {
        var stream = "s-" + Guid.NewGuid();
        await _store.AppendAsync(stream, "s", ExpectedVersion.NoStream, Events.Some(5), EventMetadata.None);

        Assert.Equal([5L, 4L, 3L], await _store.ReadStreamAsync(stream, ReadDirection.Backward, maxCount: 3).Select(e => e.Version).ToListAsync());
        Assert.Equal([2L, 1L], await _store.ReadStreamAsync(stream, ReadDirection.Backward, fromVersion: 2).Select(e => e.Version).ToListAsync());
        Assert.Equal([4L, 5L], await _store.ReadStreamAsync(stream, fromVersion: 4).Select(e => e.Version).ToListAsync());
    }

    [Fact]
    public async Task A_stream_folds_to_a_version_and_to_an_instant()
    {
        var stream = "s-" + Guid.NewGuid();
        var first = await _store.AppendAsync(stream, "s", ExpectedVersion.NoStream, Events.Some(2), EventMetadata.None);
        await Task.Delay(20);
        await _store.AppendAsync(stream, "s", ExpectedVersion.Exactly(2), Events.Some(3), EventMetadata.None);

        static int Sum(int total, RecordedEvent e) => total + JsonDocument.Parse(e.Data).RootElement.GetProperty("n").GetInt32();
        Assert.Equal((1 + 2 + 1 + 2 + 3, 5L), await _store.AggregateStreamAsync(stream, 0, Sum));
        Assert.Equal((1 + 2 + 1, 3L), await _store.AggregateStreamAsync(stream, 0, Sum, upToVersion: 3));
        Assert.Equal((1 + 2, 2L), await _store.AggregateStreamAsync(stream, 0, Sum, asOf: first.RecordedAt));
        Assert.Equal((0, 0L), await _store.AggregateStreamAsync(stream, 0, Sum, asOf: first.RecordedAt - Duration.FromMilliseconds(1)));
    }

    [Theory]
    [InlineData("{\"a\":1", "invalid_event_data")]
    [InlineData("{\"a\":\"\\u0000\"}", "invalid_event_data")]
    [InlineData("{\"a\":1,\"a\":2}", "invalid_event_data")]
    [InlineData("[1e400]", "invalid_event_data")]
    public async Task Unstorable_data_is_refused_with_a_code_and_nothing_is_written(string json, string code)
    {
        var stream = "s-" + Guid.NewGuid();
        var error = await Assert.ThrowsAnyAsync<EventStoreException>(() =>
            _store.AppendAsync(stream, "s", ExpectedVersion.Any, [Events.Raw("x.v1", json)], EventMetadata.None));
        Assert.Equal(code, error.Code);
        Assert.Equal(0, await _store.ReadStreamAsync(stream).CountAsync());
    }

    [Fact]
    public async Task Empty_appends_and_blank_names_are_refused()
    {
        Assert.Equal("no_events", (await Assert.ThrowsAsync<EventStoreException>(() =>
            _store.AppendAsync("s", "s", ExpectedVersion.Any, [], EventMetadata.None))).Code);
        Assert.Equal("invalid_stream_id", (await Assert.ThrowsAsync<EventStoreException>(() =>
            _store.AppendAsync(" ", "s", ExpectedVersion.Any, Events.Some(1), EventMetadata.None))).Code);
    }

    [Fact]
    public async Task The_event_tables_refuse_update_delete_and_truncate_even_to_a_superuser()
    {
        var stream = "s-" + Guid.NewGuid();
        await _store.AppendAsync(stream, "s", ExpectedVersion.NoStream, Events.Some(1), Events.Metadata(Guid.NewGuid()));

        foreach (var sql in new[]
        {
            $"update eventstore.events set data = '{{}}' where stream_id = '{stream}'",
            $"delete from eventstore.events where stream_id = '{stream}'",
            "truncate eventstore.events cascade",
            "update eventstore.commands set last_version = 9",
            "delete from eventstore.global_log",
            "truncate eventstore.global_log",
        })
        {
            var asAdmin = await Assert.ThrowsAsync<PostgresException>(() => Execute(database.Admin, sql));
            Assert.Contains("append-only", asAdmin.MessageText);
            var asApp = await Assert.ThrowsAsync<PostgresException>(() => Execute(database.App, sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, asApp.SqlState);
        }
        Assert.Equal(1, await _store.ReadStreamAsync(stream).CountAsync());
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
