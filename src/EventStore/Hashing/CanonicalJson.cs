using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Records.EventStore.Hashing;

/// <summary>
/// The one byte form of a JSON value that hashes cover. PostgreSQL's jsonb keeps the value but not
/// its text (it reorders keys and respaces), so a hash over the client's text could not be checked
/// again from the database. The canonical form is:
/// object members sorted by key (ordinal UTF-16), no insignificant whitespace, strings with only
/// <c>"</c>, <c>\</c> and control characters escaped (short escapes where JSON has them, else
/// <c>\u00XX</c> lower-case), integers that fit in 64 bits written plainly, every other number
/// as the shortest round-trip double (<c>R</c> format, invariant culture), negative zero as 0.
/// Canonicalising a canonical text gives the same bytes, also after a round trip through jsonb.
/// </summary>
public static class CanonicalJson
{
    /// <summary>Canonicalises UTF-8 JSON; throws <see cref="InvalidEventDataException"/> for what jsonb cannot store.</summary>
    public static byte[] Canonicalize(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            var bytes = utf8Json.ToArray();
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidEventDataException($"Event data is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var buffer = new ArrayBufferWriter<byte>(utf8Json.Length + 16);
            try
            {
                Write(document.RootElement, buffer);
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses to decode an escaped lone surrogate.
                throw new InvalidEventDataException("Event data holds a lone UTF-16 surrogate, which is not a character.");
            }
            return buffer.WrittenSpan.ToArray();
        }
    }

    public static byte[] Canonicalize(string json) => Canonicalize(Encoding.UTF8.GetBytes(json));

    private static void Write(JsonElement element, ArrayBufferWriter<byte> output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                output.Write("{"u8);
                var members = new List<JsonProperty>();
                foreach (var member in element.EnumerateObject()) members.Add(member);
                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0 && members[i].Name == members[i - 1].Name)
                        throw new InvalidEventDataException($"Event data has the key '{members[i].Name}' twice in one object.");
                    if (i > 0) output.Write(","u8);
                    WriteString(members[i].Name, output);
                    output.Write(":"u8);
                    Write(members[i].Value, output);
                }
                output.Write("}"u8);
                break;
            case JsonValueKind.Array:
                output.Write("["u8);
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) output.Write(","u8);
                    first = false;
                    Write(item, output);
                }
                output.Write("]"u8);
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                WriteNumber(element, output);
                break;
            case JsonValueKind.True:
                output.Write("true"u8);
                break;
            case JsonValueKind.False:
                output.Write("false"u8);
                break;
            default:
                output.Write("null"u8);
                break;
        }
    }

    private static void WriteNumber(JsonElement element, ArrayBufferWriter<byte> output)
    {
        var raw = element.GetRawText();
        string text;
        if (raw.AsSpan().IndexOfAny(".eE") < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            text = integer.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            var value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(value))
                throw new InvalidEventDataException($"Event data holds the number {raw}, which is out of range.");
            text = value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture);
        }
        output.Write(Encoding.UTF8.GetBytes(text));
    }

    private static void WriteString(string value, ArrayBufferWriter<byte> output)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0':
                    throw new InvalidEventDataException("Event data holds the character U+0000, which PostgreSQL cannot store.");
                case < ' ':
                    builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])))
                        throw new InvalidEventDataException("Event data holds a lone UTF-16 surrogate, which is not a character.");
                    if (char.IsHighSurrogate(c)) builder.Append(value[i++]);
                    builder.Append(value[i]);
                    break;
            }
        }
        builder.Append('"');
        output.Write(Encoding.UTF8.GetBytes(builder.ToString()));
    }
}

/// <summary>Event data that cannot be stored as it is; nothing was written.</summary>
public sealed class InvalidEventDataException(string message) : EventStoreException("invalid_event_data", message);
