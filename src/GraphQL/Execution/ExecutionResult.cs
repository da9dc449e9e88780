using System.Buffers;
using System.Collections;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Records.GraphQL.Execution;

/// <summary>
/// The response of one execution (spec section 7.1): <see cref="Data"/> (absent when a request error stopped execution
/// before it began, null when a non-null root field failed), <see cref="Errors"/> and <see cref="Extensions"/>.
/// </summary>
public sealed class ExecutionResult
{
    private ExecutionResult(bool hasData, ResultMap? data, IReadOnlyList<GraphQLError>? errors)
    {
        HasData = hasData;
        Data = data;
        Errors = errors is { Count: > 0 } ? errors : null;
    }

    /// <summary>Whether the response has a "data" entry (even a null one): false only for request errors.</summary>
    public bool HasData { get; }

    /// <summary>The data, in selection order; null when absent or when null propagated to the root.</summary>
    public ResultMap? Data { get; }

    /// <summary>The errors, in the order they happened; null when none.</summary>
    public IReadOnlyList<GraphQLError>? Errors { get; }

    /// <summary>Extra response data for the host (e.g. timing); left out of the JSON when null or empty.</summary>
    public IDictionary<string, object?>? Extensions { get; set; }

    /// <summary>A result whose execution ran; <paramref name="data"/> is null when null propagated to the root.</summary>
    public static ExecutionResult FromData(ResultMap? data, IReadOnlyList<GraphQLError>? errors = null) => new(true, data, errors);

    /// <summary>A request error: execution did not start, so there is no "data" entry.</summary>
    public static ExecutionResult FromErrors(params IReadOnlyList<GraphQLError> errors)
    {
        if (errors.Count == 0) throw new ArgumentException("A request error result needs at least one error.", nameof(errors));
        return new(false, null, errors);
    }

    /// <summary>Writes the spec's response object: errors first (when any), then data, then extensions.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (Errors is not null)
        {
            writer.WriteStartArray("errors");
            foreach (var error in Errors) error.WriteTo(writer);
            writer.WriteEndArray();
        }
        if (HasData)
        {
            writer.WritePropertyName("data");
            WriteValue(writer, Data);
        }
        if (Extensions is { Count: > 0 })
        {
            writer.WritePropertyName("extensions");
            WriteValue(writer, Extensions);
        }
        writer.WriteEndObject();
    }

    /// <summary>The response as UTF-8 JSON.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    // Responses are JSON documents, never embedded in HTML, so only what JSON requires is escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The response as a JSON string.</summary>
    public string ToJson() => Encoding.UTF8.GetString(ToUtf8Json());

    // Completed values are maps, arrays and serialized leaves; anything else a custom scalar produced goes through System.Text.Json.
    internal static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case float f: writer.WriteNumberValue(f); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case ResultMap map:
                writer.WriteStartObject();
                for (var i = 0; i < map.Count; i++)
                {
                    writer.WritePropertyName(map.KeyAt(i));
                    WriteValue(writer, map.ValueAt(i));
                }
                writer.WriteEndObject();
                break;
            case object?[] items:
                writer.WriteStartArray();
                foreach (var item in items) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            case IDictionary<string, object?> dictionary:
                writer.WriteStartObject();
                foreach (var (key, item) in dictionary)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable<object?> items when value is not IDictionary:
                writer.WriteStartArray();
                foreach (var item in items) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType());
                break;
        }
    }
}

/// <summary>
/// An object in the response: response keys in selection order with their completed values.
/// Backed by two arrays sized once from the collected fields, so completing an object allocates little.
/// </summary>
public sealed class ResultMap : IReadOnlyDictionary<string, object?>
{
    private readonly string[] _keys;
    private readonly object?[] _values;

    internal ResultMap(string[] keys)
    {
        _keys = keys;
        _values = new object?[keys.Length];
    }

    public int Count => _keys.Length;

    public string KeyAt(int index) => _keys[index];

    public object? ValueAt(int index) => _values[index];

    internal void Set(int index, object? value) => _values[index] = value;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No response key \"{key}\".");

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<object?> Values => _values;

    public bool ContainsKey(string key) => Array.IndexOf(_keys, key) >= 0;

    public bool TryGetValue(string key, out object? value)
    {
        var index = Array.IndexOf(_keys, key);
        value = index >= 0 ? _values[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++) yield return new(_keys[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
