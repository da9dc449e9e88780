using System.Globalization;
using System.Text.Json;

namespace Records.GraphQL.Types;

/// <summary>
/// What a field resolver receives. Execution creates one per resolved field; the shape of
/// <see cref="FieldResolver"/> is the contract between schemas and execution.
/// </summary>
public class ResolveContext
{
    public ResolveContext(
        object? source,
        IReadOnlyDictionary<string, object?> arguments,
        FieldDefinition fieldDefinition,
        ObjectType parentType,
        Schema schema,
        ResponsePath path,
        IDictionary<string, object?> items,
        IServiceProvider? services = null,
        CancellationToken cancellationToken = default)
    {
        Source = source;
        Arguments = arguments;
        FieldDefinition = fieldDefinition;
        ParentType = parentType;
        Schema = schema;
        Path = path;
        Items = items;
        Services = services;
        CancellationToken = cancellationToken;
    }

    /// <summary>The parent value: what the parent field resolved to (the root value for root fields).</summary>
    public object? Source { get; }

    /// <summary>The field's arguments after input coercion, defaults applied; absent arguments have no key.</summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; }

    public FieldDefinition FieldDefinition { get; }

    /// <summary>The object type the field is resolved on.</summary>
    public ObjectType ParentType { get; }

    public Schema Schema { get; }

    /// <summary>Where this field's value goes in the response.</summary>
    public ResponsePath Path { get; }

    /// <summary>A bag shared by every resolver of one request (e.g. per-request caches and batch loaders).</summary>
    public IDictionary<string, object?> Items { get; }

    /// <summary>The request's services, when the host provides them.</summary>
    public IServiceProvider? Services { get; }

    /// <summary>Cancelled when the request is aborted or times out.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Whether the argument was given (or has a default).</summary>
    public bool HasArgument(string name) => Arguments.ContainsKey(name);

    /// <summary>
    /// An argument converted to <typeparamref name="T"/>: numbers convert between numeric types, enum names to C# enums,
    /// input objects to records or classes (through System.Text.Json). Missing or null gives default(T).
    /// </summary>
    public T? Argument<T>(string name)
    {
        if (!Arguments.TryGetValue(name, out var value) || value is null) return default;
        return (T?)ConvertArgument(value, typeof(T), name);
    }

    private static object? ConvertArgument(object value, Type target, string name)
    {
        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (type.IsInstanceOfType(value)) return value;
        try
        {
            if (type.IsEnum)
                return value is string text ? Enum.Parse(type, text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true) : Enum.ToObject(type, value);
            if (value is IConvertible && typeof(IConvertible).IsAssignableFrom(type))
                return Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
            // Input objects and lists: round-trip through JSON to reach records, classes and arrays.
            return JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(value), type, ArgumentJson);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException or JsonException or NotSupportedException)
        {
            throw new CoercionException($"Argument \"{name}\" of value {Inspect.Value(value)} cannot be converted to {type.Name}.");
        }
    }

    private static readonly JsonSerializerOptions ArgumentJson = new() { PropertyNameCaseInsensitive = true };
}

/// <summary>A path in the response: field names and list indices from the root, as a linked list.</summary>
public sealed record ResponsePath(ResponsePath? Previous, object Key, string? TypeName = null)
{
    /// <summary>The keys from the root, e.g. ["hero", "friends", 0, "name"].</summary>
    public IReadOnlyList<object> ToList()
    {
        var keys = new List<object>();
        for (var path = this; path is not null; path = path.Previous) keys.Add(path.Key);
        keys.Reverse();
        return keys;
    }
}
