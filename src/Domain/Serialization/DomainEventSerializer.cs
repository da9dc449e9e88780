namespace Records.Domain.Serialization;

using System.Text.Json;

/// <summary>Serializes domain events to UTF-8 JSON under their stable type name, and back.</summary>
public sealed class DomainEventSerializer(EventTypeRegistry registry)
{
    public static DomainEventSerializer Default { get; } = new(EventTypeRegistry.Default);

    public EventTypeRegistry Registry => registry;

    public SerializedEvent Serialize(IDomainEvent domainEvent) =>
        new(registry.NameOf(domainEvent.GetType()), JsonSerializer.SerializeToUtf8Bytes(domainEvent, domainEvent.GetType(), DomainJson.Options));

    /// <exception cref="UnknownEventTypeException">The name is not registered.</exception>
    /// <exception cref="JsonException">The data does not match the type.</exception>
    public IDomainEvent Deserialize(string typeName, ReadOnlySpan<byte> utf8Json) =>
        (IDomainEvent)(JsonSerializer.Deserialize(utf8Json, registry.TypeOf(typeName), DomainJson.Options)
            ?? throw new JsonException($"Event {typeName} is null."));
}

/// <summary>An event as stored: its stable type name and its UTF-8 JSON.</summary>
public sealed record SerializedEvent(string TypeName, byte[] Data);

public sealed class UnknownEventTypeException(string message) : Exception(message);
