using Records.Domain;

namespace Records.Api.Commands;

/// <summary>One event a command wrote: its identity, its place in the stream and in the global log, and its hash (hex).</summary>
/// <param name="Sequence">The global sequence number; null when the sequencer had not numbered it within the wait.</param>
public sealed record WrittenEvent(Guid EventId, string EventType, long Version, string Hash, long? Sequence);

/// <summary>
/// What became of a command: the events it wrote, or the domain's rejection (code, sentence, rule).
/// <see cref="Replayed"/> is true when the command id had been answered before and this is that first answer.
/// </summary>
public sealed record CommandOutcome(Guid CommandId, string StreamId, IReadOnlyList<WrittenEvent> Events, Rejection? Rejection, bool Replayed)
{
    public bool IsAccepted => Rejection is null;
}
