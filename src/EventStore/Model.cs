using NodaTime;

namespace Records.EventStore;

/// <summary>The version a writer expects the stream to be at; checked before anything is written.</summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long value) => Value = value;

    /// <summary>-1: any; 0: the stream must not exist; n: the stream's last version must be n.</summary>
    internal long Value { get; }

    public static ExpectedVersion Any { get; } = new(-1);

    public static ExpectedVersion NoStream { get; } = new(0);

    public static ExpectedVersion Exactly(long version) =>
        version >= 1 ? new(version) : throw new ArgumentOutOfRangeException(nameof(version), "A stream's versions start at 1; use NoStream for a new stream.");

    public bool Accepts(long actual) => Value == -1 || Value == actual;

    public override string ToString() => Value switch { -1 => "any", 0 => "no stream", _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

/// <summary>An event to append: a stable versioned type name and its data as UTF-8 JSON.</summary>
public sealed record EventData(string EventType, ReadOnlyMemory<byte> Data, Guid? EventId = null);

/// <summary>Who acts: an id, a role, and whether their real name was verified.</summary>
public sealed record Actor(string Id, string Role, bool RealNameVerified);

/// <summary>What every event of one append carries besides its data.</summary>
public sealed record EventMetadata
{
    public Actor? Actor { get; init; }

    /// <summary>The time the client claims the thing happened (the recorded time is the database's).</summary>
    public Instant? ClaimedAt { get; init; }

    public string? InstitutionId { get; init; }

    /// <summary>A retried append with the same command id returns the first result and writes nothing.</summary>
    public Guid? CommandId { get; init; }

    public Guid? CorrelationId { get; init; }

    public Guid? CausationId { get; init; }

    public string? ClientId { get; init; }

    public string? DeviceId { get; init; }

    /// <summary>Why data was read, where the event records a read.</summary>
    public string? PurposeOfUse { get; init; }

    public static EventMetadata None { get; } = new();
}

/// <summary>An event as stored.</summary>
public sealed record RecordedEvent(
    Guid EventId,
    string StreamId,
    string StreamType,
    long Version,
    string EventType,
    string Data,
    Instant RecordedAt,
    EventMetadata Metadata,
    string HashAlgorithm,
    byte[] PreviousHash,
    byte[] Hash,
    long? Sequence);

/// <summary>One appended event's identity, for the caller to show or link.</summary>
public sealed record AppendedEvent(Guid EventId, long Version, byte[] Hash);

/// <summary>
/// The result of an append. <see cref="Replayed"/> is true when the command id had been appended
/// before: the first result is returned and nothing new was written.
/// </summary>
public sealed record AppendResult(string StreamId, long LastVersion, Instant RecordedAt, IReadOnlyList<AppendedEvent> Events, bool Replayed);

/// <summary>A typed failure of the event store: a stable code and a sentence.</summary>
public class EventStoreException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The stream was not at the expected version; nothing was written.</summary>
public sealed class ConcurrencyException(string streamId, ExpectedVersion expected, long actual)
    : EventStoreException("concurrency_conflict", $"Stream '{streamId}' is at version {actual}, not {expected} as expected; reload it and decide again.")
{
    public string StreamId { get; } = streamId;

    public ExpectedVersion Expected { get; } = expected;

    /// <summary>The stream's actual last version; 0 when it does not exist.</summary>
    public long ActualVersion { get; } = actual;
}
