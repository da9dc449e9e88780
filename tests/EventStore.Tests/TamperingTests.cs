using Npgsql;
using Records.EventStore.Sequencing;
using Records.EventStore.Verification;
using Records.Testing;

namespace Records.EventStore.Tests;

/// <summary>
/// A superuser switches the append-only triggers off (session_replication_role = replica) and
/// changes one row; verification must name exactly that event.
/// </summary>
public class TamperingTests : IAsyncLifetime
{
    private readonly EventStoreDatabase _database = new();
    private PostgresEventStore _store = null!;
    private RecordedEvent _target = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new PostgresEventStore(_database.App);
        for (var i = 0; i < 4; i++)
            await _store.AppendAsync($"stream-{i}", "s", ExpectedVersion.Any, Events.Some(5), Events.Metadata(Guid.NewGuid()));
        await using (var sequencer = new Sequencer(_database.App))
        {
            sequencer.Start();
            while (await _store.ReadHeadAsync() < 20) await Task.Delay(10);
        }
        _target = (await _store.ReadStreamAsync("stream-2", fromVersion: 3, maxCount: 1).SingleAsync());
        Assert.True((await new ChainVerifier(_database.App).VerifyAllAsync()).IsIntact);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Theory]
    [InlineData("data = jsonb_set(data, '{n}', '99')")]
    [InlineData("actor_id = 'someone-else'")]
    [InlineData("actor_verified = false")]
    [InlineData("purpose_of_use = 'curiosity'")]
    [InlineData("claimed_at = now()")]
    [InlineData("recorded_at = recorded_at - interval '1 hour'")]
    [InlineData("event_type = 'thing.forged.v1'")]
    [InlineData("version = 33")]
    [InlineData("stream_id = 'stream-9'")]
    public async Task A_changed_field_is_reported_at_exactly_that_event(string change)
    {
        await Tamper($"update eventstore.events set {change} where event_id = '{_target.EventId}'");

        var report = await new ChainVerifier(_database.App).VerifyAllAsync();

        var first = Assert.IsType<TamperFinding>(report.First);
        Assert.Equal(TamperKind.EventAltered, first.Kind);
        Assert.Equal(_target.EventId, first.EventId);
        Assert.Equal(_target.Sequence, first.Sequence);
        Assert.Single(report.Findings, f => f.Kind == TamperKind.EventAltered);
    }

    [Fact]
    public async Task A_changed_field_with_a_recomputed_hash_still_breaks_both_chains_at_that_event()
    {
        // A careful forger rewrites the hash too; the next link and the global chain still point at the original.
        await Tamper($"update eventstore.events set hash = sha256(hash) where event_id = '{_target.EventId}'");

        var report = await new ChainVerifier(_database.App).VerifyAllAsync();

        Assert.Contains(report.Findings, f => f.Kind == TamperKind.GlobalChainBroken && f.EventId == _target.EventId && f.Sequence == _target.Sequence);
        Assert.Contains(report.Findings, f => f.Kind == TamperKind.StreamChainBroken && f.StreamId == "stream-2" && f.Version == 4);
    }

    [Fact]
    public async Task A_deleted_event_is_reported_by_its_stream_version_and_sequence_number()
    {
        await Tamper($"delete from eventstore.events where event_id = '{_target.EventId}'");

        var report = await new ChainVerifier(_database.App).VerifyAllAsync();

        Assert.DoesNotContain(report.Findings, f => f.Kind == TamperKind.EventAltered);
        Assert.Contains(report.Findings, f => f.Kind == TamperKind.EventMissing && f.StreamId == "stream-2" && f.Version == 3);
        Assert.Contains(report.Findings, f => f.Kind == TamperKind.EventMissing && f.Sequence == _target.Sequence);
        Assert.Equal(TamperKind.EventMissing, report.First!.Kind);
    }

    [Fact]
    public async Task A_deleted_sequence_number_is_reported()
    {
        await Tamper($"delete from eventstore.global_log where sequence = {_target.Sequence}");

        var report = await new ChainVerifier(_database.App).VerifyAllAsync();

        Assert.Contains(report.Findings, f => f.Kind == TamperKind.EventMissing && f.Sequence == _target.Sequence);
    }

    [Fact]
    public async Task An_intact_stream_verifies_on_its_own_while_another_is_tampered()
    {
        await Tamper($"update eventstore.events set data = '{{\"n\":0}}' where event_id = '{_target.EventId}'");

        var verifier = new ChainVerifier(_database.App);
        Assert.True((await verifier.VerifyStreamAsync("stream-1")).IsIntact);
        Assert.Equal(_target.EventId, (await verifier.VerifyStreamAsync("stream-2")).First!.EventId);
    }

    private async Task Tamper(string sql)
    {
        await using var connection = await _database.Admin.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"set session_replication_role = replica; {sql}; reset session_replication_role", connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
