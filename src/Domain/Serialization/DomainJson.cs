namespace Records.Domain.Serialization;

using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

/// <summary>
/// The one JSON form of the domain: camelCase, enums as camelCase strings, NodaTime as ISO strings,
/// Chinese text unescaped. Stored events and canonical hashes both use it, so it is pinned by golden tests.
/// </summary>
public static class DomainJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            WriteIndented = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(NodaTimeConverters.Instant);
        options.Converters.Add(NodaTimeConverters.LocalDate);
        options.Converters.Add(NodaTimeConverters.Duration);
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>
/// The canonical hash of a record version: SHA-256, lower-case hex, over the value's <see cref="DomainJson"/> form.
/// This is what a signature signs.
/// </summary>
public static class CanonicalHash
{
    public static string Of<T>(T value) => Sha256Hex(JsonSerializer.SerializeToUtf8Bytes(value, DomainJson.Options));

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static bool IsSha256Hex(string? text) =>
        text is { Length: 64 } && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
