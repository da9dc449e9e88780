using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using NodaTime.Text;
using Records.EventStore;
using Records.Projections;

namespace Records.Api.Feeds;

/// <summary>
/// An event in CloudEvents 1.0 structured JSON: <c>id</c> the event id, <c>source</c> the institution,
/// <c>type</c> the versioned event type, <c>subject</c> the stream, <c>time</c> the recorded time,
/// <c>sequence</c> the global sequence number (sequence extension: a string that orders
/// lexicographically, so zero-padded; it orders the whole log, across sources), and <c>eventhash</c>
/// the event's link in its stream's hash chain, so a receiver can verify what it got.
/// </summary>
public static class CloudEvent
{
    /// <summary>JSON properties that name a patient or their guardian, wherever they appear in event data.</summary>
    public static readonly IReadOnlySet<string> IdentifierProperties =
        new HashSet<string>(StringComparer.Ordinal) { "patientId", "guardianId", "grantorId", "requestedBy" };

    /// <summary>Personal data of the patient stream (实名 details) left out of a pseudonymised feed.</summary>
    public static readonly IReadOnlySet<string> PersonalProperties =
        new HashSet<string>(StringComparer.Ordinal) { "name", "contact", "identityDocumentHash", "dateOfBirth" };

    public const string ContentType = "application/cloudevents+json";

    /// <summary>The JSON batch format: an array of events, each as in structured mode.</summary>
    public const string BatchContentType = "application/cloudevents-batch+json";

    public static string Sequence(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Writes the event as the next value of <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, RecordedEvent recorded, FeedScope scope, Pseudonymizer pseudonymizer) =>
        writer.WriteRawValue(ToJson(recorded, scope, pseudonymizer), skipInputValidation: true);

    /// <summary>
    /// The event's JSON, made once per event and form (identifiers clear or pseudonymised): the live feeds share the
    /// log tail's events, so twenty subscribers serialise and pseudonymise an event once, not twenty times. The bytes
    /// are shared: read them, never change them.
    /// </summary>
    public static byte[] ToJson(RecordedEvent recorded, FeedScope scope, Pseudonymizer pseudonymizer)
    {
        var forms = Made.GetValue(recorded, _ => new Form?[2]);
        var slot = scope.ClearIdentifiers ? 1 : 0;
        if (forms[slot] is { } made && made.Pseudonymizer == pseudonymizer) return made.Json;
        var json = Serialize(recorded, scope.ClearIdentifiers ? null : pseudonymizer);
        forms[slot] = new Form(pseudonymizer, json); // a race makes the same bytes twice: harmless
        return json;
    }

    private sealed record Form(Pseudonymizer Pseudonymizer, byte[] Json);

    private static readonly ConditionalWeakTable<RecordedEvent, Form?[]> Made = new();

    private static byte[] Serialize(RecordedEvent recorded, Pseudonymizer? pseudonymizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", recorded.EventId.ToString());
            writer.WriteString("source", recorded.Metadata.InstitutionId is { } institution ? $"/institutions/{Uri.EscapeDataString(institution)}" : "/records");
            writer.WriteString("type", recorded.EventType);
            writer.WriteString("subject", pseudonymizer is null || recorded.StreamType != "patient"
                ? recorded.StreamId
                : $"patient-{pseudonymizer.Of(recorded.StreamId["patient-".Length..])}");
            writer.WriteString("time", InstantPattern.ExtendedIso.Format(recorded.RecordedAt));
            writer.WriteString("datacontenttype", "application/json");
            writer.WriteString("sequence", Sequence(recorded.Sequence ?? 0));
            writer.WriteString("eventhash", Convert.ToHexStringLower(recorded.Hash));
            writer.WritePropertyName("data");
            using (var data = JsonDocument.Parse(recorded.Data))
                WriteData(writer, data.RootElement, pseudonymizer, propertyName: null, recorded.StreamType == "patient");
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The events as one JSON batch (<see cref="BatchContentType"/>), in their order.</summary>
    public static byte[] ToJsonBatch(IEnumerable<RecordedEvent> events, FeedScope scope, Pseudonymizer pseudonymizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var recorded in events) Write(writer, recorded, scope, pseudonymizer);
            writer.WriteEndArray();
        }
        return buffer.ToArray();
    }

    private static void WriteData(Utf8JsonWriter writer, JsonElement element, Pseudonymizer? pseudonymizer, string? propertyName, bool patientStream)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (pseudonymizer is not null && patientStream && PersonalProperties.Contains(property.Name)) continue;
                    writer.WritePropertyName(property.Name);
                    WriteData(writer, property.Value, pseudonymizer, property.Name, patientStream);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteData(writer, item, pseudonymizer, propertyName, patientStream);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String when pseudonymizer is not null && propertyName is not null
                                          && IdentifierProperties.Contains(propertyName):
                writer.WriteStringValue(pseudonymizer.Of(element.GetString()!));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
