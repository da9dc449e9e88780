using System.Text;
using NodaTime;
using Records.Api.Feeds;
using Records.EventStore;
using Records.Projections;

namespace Records.Api.Tests.Feeds;

public class CloudEventTests
{
    private static readonly Pseudonymizer KeyA = new("cloud-event-test-key-a-of-32-bytes!!"u8.ToArray());
    private static readonly Pseudonymizer KeyB = new("cloud-event-test-key-b-of-32-bytes!!"u8.ToArray());
    private static readonly FeedScope Pseudonymised = new(["*"], [], ClearIdentifiers: false);
    private static readonly FeedScope Clear = new(["*"], [], ClearIdentifiers: true);

    [Fact]
    public void An_events_json_is_made_once_per_form_and_key_and_never_served_across_them()
    {
        var registered = new RecordedEvent(Guid.NewGuid(), "patient-pt-1", "patient", 1, "patient.registered.v1",
            """{"patientId":"pt-1","name":"Zhang San"}""", Instant.FromUtc(2026, 11, 22, 8, 0), new EventMetadata { InstitutionId = "h1" },
            "sha256", new byte[32], new byte[32], 7);

        var underA = CloudEvent.ToJson(registered, Pseudonymised, KeyA);
        Assert.Same(underA, CloudEvent.ToJson(registered, Pseudonymised, KeyA)); // shared by every subscriber of that form
        var underB = Text(CloudEvent.ToJson(registered, Pseudonymised, KeyB));
        Assert.Contains(KeyB.Of("pt-1"), underB);
        Assert.DoesNotContain(KeyA.Of("pt-1"), underB);
        Assert.DoesNotContain("Zhang San", Text(underA));
        var clear = Text(CloudEvent.ToJson(registered, Clear, KeyA));
        Assert.Contains("\"patientId\":\"pt-1\"", clear);
        Assert.Contains("Zhang San", clear);
        Assert.Equal(Text(underA), Text(CloudEvent.ToJson(registered with { }, Pseudonymised, KeyA))); // an equal copy: the same JSON
    }

    private static string Text(byte[] json) => Encoding.UTF8.GetString(json);
}
