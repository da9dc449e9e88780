namespace Records.Domain.Serialization;

using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime.Text;

/// <summary>Writes NodaTime values as ISO-8601 strings and reads them back exactly, refusing anything else.</summary>
internal sealed class PatternConverter<T>(IPattern<T> pattern) : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a {typeof(T).Name} as a string, found {reader.TokenType}.");
        }

        var result = pattern.Parse(reader.GetString()!);
        return result.Success ? result.Value : throw new JsonException($"Not a {typeof(T).Name}: {result.Exception.Message}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(pattern.Format(value));
}

internal static class NodaTimeConverters
{
    /// <summary>Instant as <c>2026-03-01T08:30:00Z</c> (fraction only when present).</summary>
    public static readonly JsonConverter<Instant> Instant = new PatternConverter<Instant>(InstantPattern.ExtendedIso);

    /// <summary>LocalDate as <c>2020-05-17</c>.</summary>
    public static readonly JsonConverter<LocalDate> LocalDate = new PatternConverter<LocalDate>(LocalDatePattern.Iso);

    /// <summary>Duration as days:hours:minutes:seconds, e.g. <c>0:00:30:00</c>.</summary>
    public static readonly JsonConverter<Duration> Duration = new PatternConverter<Duration>(DurationPattern.Roundtrip);
}
