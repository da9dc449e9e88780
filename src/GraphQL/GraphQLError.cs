using System.Text.Json;
using Records.GraphQL.Language;

namespace Records.GraphQL;

/// <summary>
/// An error in a GraphQL response (spec section 7.1.2 "Errors"): a message, the document locations it refers to,
/// the response path of the field it happened in, and extensions (always including a machine-readable <c>code</c>).
/// Validation, execution and transports all report this type; it serializes to the spec's JSON shape.
/// </summary>
public class GraphQLError : Exception
{
    public GraphQLError(
        string message,
        string code,
        IReadOnlyList<SourceLocation>? locations = null,
        IReadOnlyList<object>? path = null,
        IReadOnlyDictionary<string, object?>? extensions = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Locations = locations ?? [];
        Path = path;
        var all = new Dictionary<string, object?> { ["code"] = code };
        if (extensions is not null)
            foreach (var (key, value) in extensions) if (key != "code") all[key] = value;
        Extensions = all;
    }

    /// <summary>An error pointing at the start of each node that has a location.</summary>
    public GraphQLError(string message, string code, IEnumerable<Node?> nodes, IReadOnlyList<object>? path = null, Exception? innerException = null)
        : this(message, code, LocationsOf(nodes), path, innerException: innerException)
    {
    }

    /// <summary>Line and column of each document position the error refers to; empty when none.</summary>
    public IReadOnlyList<SourceLocation> Locations { get; }

    /// <summary>The response path of the field the error happened in (names and list indices); null for request errors.</summary>
    public IReadOnlyList<object>? Path { get; }

    /// <summary>Extra data; always has <c>code</c>.</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; }

    /// <summary>The machine-readable code, e.g. <c>GRAPHQL_VALIDATION_FAILED</c> or <c>INTERNAL_SERVER_ERROR</c>.</summary>
    public string Code => (string)Extensions["code"]!;

    /// <summary>This error at another response path (used when an error surfaces from a nested field).</summary>
    public GraphQLError WithPath(IReadOnlyList<object> path) =>
        new(Message, Code, Locations, path, Extensions, InnerException ?? this);

    /// <summary>The start locations of the nodes that have one.</summary>
    public static IReadOnlyList<SourceLocation> LocationsOf(IEnumerable<Node?> nodes)
    {
        var locations = new List<SourceLocation>();
        foreach (var node in nodes)
            if (node?.Location is { } location) locations.Add(location.StartLocation);
        return locations;
    }

    /// <summary>Writes <c>{"message", "locations"?, "path"?, "extensions"}</c>; empty locations and a null path are left out.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("message", Message);
        if (Locations.Count > 0)
        {
            writer.WriteStartArray("locations");
            foreach (var location in Locations)
            {
                writer.WriteStartObject();
                writer.WriteNumber("line", location.Line);
                writer.WriteNumber("column", location.Column);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (Path is not null)
        {
            writer.WriteStartArray("path");
            foreach (var key in Path)
            {
                if (key is int index) writer.WriteNumberValue(index);
                else writer.WriteStringValue(key.ToString());
            }
            writer.WriteEndArray();
        }
        writer.WritePropertyName("extensions");
        JsonSerializer.Serialize(writer, Extensions);
        writer.WriteEndObject();
    }

    /// <summary>The error as a JSON object.</summary>
    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override string ToString() => Message;
}
