using System.Text.Json;
using NodaTime;
using Records.Domain;
using Records.Domain.Serialization;
using Records.EventStore;

namespace Records.Projections.Streams;

/// <summary>A domain stream: its type (the decider's, e.g. <c>prescription</c>) and the record's id.</summary>
public readonly record struct StreamRef(string Type, string Id)
{
    /// <summary>The event store's stream id, <c>type-id</c>: the id is the shard key (see ARCHITECTURE.md).</summary>
    public string StreamId => $"{Type}-{Id}";

    public override string ToString() => StreamId;
}

/// <summary>What the host knows of a command's circumstances besides <see cref="CommandMeta"/>.</summary>
public sealed record CommandCircumstances
{
    public string? InstitutionId { get; init; }

    public Guid? CorrelationId { get; init; }

    public Guid? CausationId { get; init; }

    public string? ClientId { get; init; }

    public string? DeviceId { get; init; }

    public string? PurposeOfUse { get; init; }

    public static CommandCircumstances None { get; } = new();
}

/// <summary>
/// The domain's streams on the event store: a stream folded into its decider's state (now, at a
/// version or as of an instant), a decision's events appended with the command's metadata, and
/// stored events read back as domain events.
/// </summary>
public sealed class DomainStore(PostgresEventStore store, DomainEventSerializer? serializer = null)
{
    private readonly DomainEventSerializer _serializer = serializer ?? DomainEventSerializer.Default;

    public PostgresEventStore Events => store;

    /// <summary>Folds a stream with its decider's <paramref name="evolve"/>; version 0 means the stream does not exist.</summary>
    public async Task<(TState State, long Version)> LoadAsync<TState, TEvent>(
        StreamRef stream, TState initial, Func<TState, TEvent, TState> evolve, Instant? asOf = null, CancellationToken cancellationToken = default)
        where TEvent : IDomainEvent =>
        await store.AggregateStreamAsync(stream.StreamId, initial, (state, recorded) => evolve(state, (TEvent)Deserialize(recorded)), asOf: asOf,
            cancellationToken: cancellationToken);

    /// <summary>
    /// Appends a decision's events, expecting the stream at <paramref name="expectedVersion"/> (0: a
    /// new stream), so that a decision taken on a stale state is refused, not written.
    /// </summary>
    public Task<AppendResult> AppendAsync(
        StreamRef stream, long expectedVersion, IReadOnlyList<IDomainEvent> events, CommandMeta meta, CommandCircumstances? circumstances = null,
        CancellationToken cancellationToken = default)
    {
        circumstances ??= CommandCircumstances.None;
        var data = events.Select(e =>
        {
            var serialized = _serializer.Serialize(e);
            return new EventData(serialized.TypeName, serialized.Data);
        }).ToList();
        var metadata = Metadata(meta, circumstances);
        var expected = expectedVersion == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exactly(expectedVersion);
        return store.AppendAsync(stream.StreamId, stream.Type, expected, data, metadata, cancellationToken);
    }

    /// <summary>What the events of a command carry besides their data: who, when, the command id and the circumstances.</summary>
    public static EventMetadata Metadata(CommandMeta meta, CommandCircumstances circumstances) => new()
    {
        Actor = new EventStore.Actor(meta.Actor.Id, RoleName(meta.Actor.Role), meta.Actor.RealNameVerified),
        ClaimedAt = meta.ClaimedAt,
        CommandId = meta.CommandId,
        InstitutionId = circumstances.InstitutionId,
        CorrelationId = circumstances.CorrelationId,
        CausationId = circumstances.CausationId,
        ClientId = circumstances.ClientId,
        DeviceId = circumstances.DeviceId,
        PurposeOfUse = circumstances.PurposeOfUse,
    };

    /// <summary>A stored event as the domain event it records.</summary>
    public IDomainEvent Deserialize(RecordedEvent recorded) =>
        _serializer.Deserialize(recorded.EventType, System.Text.Encoding.UTF8.GetBytes(recorded.Data));

    /// <summary>The role as stored on events, as the domain's JSON writes it: <c>physician</c>, <c>qualityManager</c>, ...</summary>
    public static string RoleName(Role role) => JsonNamingPolicy.CamelCase.ConvertName(role.ToString());
}
