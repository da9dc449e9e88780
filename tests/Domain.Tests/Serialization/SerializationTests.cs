namespace Records.Domain.Tests.Serialization;

using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Records.Domain.Serialization;

public class SerializationTests
{
    private static readonly DomainEventSerializer Serializer = DomainEventSerializer.Default;

    [Fact]
    public void Every_event_type_in_the_domain_is_registered_and_every_registered_type_is_an_event()
    {
        var eventTypes = typeof(IDomainEvent).Assembly.GetTypes()
            .Where(t => typeof(IDomainEvent).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
            .OrderBy(t => t.FullName)
            .ToList();

        Assert.Equal(eventTypes, EventTypeRegistry.Default.Types.Values.OrderBy(t => t.FullName));
    }

    [Fact]
    public void The_samples_cover_every_registered_event_type_once()
    {
        Assert.Equal(
            EventTypeRegistry.Default.Types.Values.OrderBy(t => t.FullName),
            EventSamples.All.Select(e => e.GetType()).OrderBy(t => t.FullName));
    }

    /// <summary>
    /// The serialized form of every event type is pinned: a change that would break stored history fails here.
    /// A deliberate new shape is a new versioned type name, with its own golden line.
    /// </summary>
    [Fact]
    public void Every_event_serializes_exactly_as_pinned()
    {
        var actual = EventSamples.All.Select(Line).ToList();
        var copy = Path.Combine(AppContext.BaseDirectory, "Serialization", GoldenFile);
        if (Environment.GetEnvironmentVariable("RECORDS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllLines(SourceGoldenPath(), actual);
            File.WriteAllLines(copy, actual);
        }

        var golden = File.ReadAllLines(copy);
        Assert.Equal(golden.Length, actual.Count);
        foreach (var (expected, line) in golden.Zip(actual))
        {
            Assert.Equal(expected, line);
        }
    }

    [Fact]
    public void Every_event_round_trips_through_its_type_name()
    {
        foreach (var original in EventSamples.All)
        {
            var stored = Serializer.Serialize(original);
            var read = Serializer.Deserialize(stored.TypeName, stored.Data);

            Assert.IsType(original.GetType(), read);
            Assert.Equal(Encoding.UTF8.GetString(stored.Data), Encoding.UTF8.GetString(Serializer.Serialize(read).Data));
        }
    }

    [Fact]
    public void An_unknown_type_name_is_refused()
    {
        var error = Assert.Throws<UnknownEventTypeException>(() => Serializer.Deserialize("prescription.approved.v9", "{}"u8));
        Assert.Contains("prescription.approved.v9", error.Message);
    }

    [Fact]
    public void A_malformed_instant_is_refused()
    {
        Assert.Throws<JsonException>(() => Serializer.Deserialize("prescription.expired.v1", """{"expiredAt":"yesterday"}"""u8));
        Assert.Throws<JsonException>(() => Serializer.Deserialize("prescription.expired.v1", """{"expiredAt":12}"""u8));
    }

    [Fact]
    public void NodaTime_values_are_written_as_iso_strings()
    {
        var json = Encoding.UTF8.GetString(Serializer.Serialize(new Records.Domain.Institution.ServiceTermsPublished(
            Duration.FromMinutes(90), [], Instant.FromUtc(2026, 3, 2, 2, 0, 30))).Data);
        Assert.Equal("""{"replyLimit":"0:01:30:00","fees":[],"publishedAt":"2026-03-02T02:00:30Z"}""", json);

        var date = Encoding.UTF8.GetString(Serializer.Serialize(new Records.Domain.Practitioner.TrainingRecorded("c", true, new LocalDate(2026, 1, 15))).Data);
        Assert.Contains("\"completedOn\":\"2026-01-15\"", date);
    }

    [Fact]
    public void Registry_refuses_malformed_names_and_duplicates()
    {
        Assert.Throws<ArgumentException>(() => new EventTypeRegistry([new("Prescription.Approved", typeof(Records.Domain.Prescription.PrescriptionExpired))]));
        Assert.Throws<ArgumentException>(() => new EventTypeRegistry(
        [
            new("prescription.expired.v1", typeof(Records.Domain.Prescription.PrescriptionExpired)),
            new("prescription.expired.v2", typeof(Records.Domain.Prescription.PrescriptionExpired)),
        ]));
        Assert.Throws<ArgumentException>(() => new EventTypeRegistry([new("prescription.line.v1", typeof(Records.Domain.Prescription.PrescriptionLine))]));
    }

    [Fact]
    public void The_canonical_hash_of_a_record_version_is_pinned()
    {
        var version = new Records.Domain.ClinicalDocument.SignedDocumentVersion("doc-1", 2, new string('a', 64));
        Assert.Equal("""{"documentId":"doc-1","version":2,"contentHash":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""",
            JsonSerializer.Serialize(version, DomainJson.Options));
        Assert.Equal("685a2b975713c04cba2c7b64454e423b6a002b770f0884b1a2fb1b35d2a91fbe", CanonicalHash.Of(version));
    }

    private static string Line(IDomainEvent e)
    {
        var stored = Serializer.Serialize(e);
        return $"{stored.TypeName} {Encoding.UTF8.GetString(stored.Data)}";
    }

    private const string GoldenFile = "events.golden.txt";

    /// <summary>Where RECORDS_UPDATE_GOLDEN=1 rewrites the golden file: beside this source file.</summary>
    private static string SourceGoldenPath([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, GoldenFile);
}
