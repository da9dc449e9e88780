using System.Text;
using System.Text.Json;

namespace Records.EventStore.Tests;

/// <summary>Small builders for the tests' events.</summary>
internal static class Events
{
    public static EventData Json(string type, object data) => new(type, JsonSerializer.SerializeToUtf8Bytes(data));

    public static EventData Raw(string type, string json) => new(type, Encoding.UTF8.GetBytes(json));

    public static EventData[] Some(int count, string type = "thing.happened.v1") =>
        Enumerable.Range(1, count).Select(i => Json(type, new { n = i })).ToArray();

    public static EventMetadata Metadata(Guid? commandId = null) => new()
    {
        Actor = new Actor("doctor-1", "physician", RealNameVerified: true),
        InstitutionId = "hospital-1",
        CommandId = commandId,
        CorrelationId = Guid.NewGuid(),
        ClientId = "tests",
    };
}
