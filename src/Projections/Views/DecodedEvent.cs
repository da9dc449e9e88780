using Records.Domain;
using Records.Domain.Serialization;
using Records.EventStore;

namespace Records.Projections.Views;

/// <summary>A stored event with the domain event it records.</summary>
public readonly record struct DecodedEvent(RecordedEvent Recorded, IDomainEvent Event)
{
    /// <summary>The record's own id: the stream id without its <c>type-</c> prefix.</summary>
    public string RecordId => Recorded.StreamId[(Recorded.StreamType.Length + 1)..];

    public long Sequence => Recorded.Sequence ?? throw new InvalidOperationException($"Event {Recorded.EventId} has no global sequence number yet.");

    /// <summary>
    /// The batch's events of the given stream types as domain events, in order. Events of other
    /// streams, and types this build does not know, are skipped: a view never stops on them.
    /// </summary>
    public static List<DecodedEvent> Decode(IReadOnlyList<RecordedEvent> events, params string[] streamTypes)
    {
        var decoded = new List<DecodedEvent>(events.Count);
        foreach (var recorded in events)
        {
            if (Array.IndexOf(streamTypes, recorded.StreamType) < 0) continue;
            IDomainEvent domainEvent;
            try
            {
                domainEvent = DomainEventSerializer.Default.Deserialize(recorded.EventType, System.Text.Encoding.UTF8.GetBytes(recorded.Data));
            }
            catch (UnknownEventTypeException)
            {
                continue;
            }
            decoded.Add(new DecodedEvent(recorded, domainEvent));
        }
        return decoded;
    }
}
