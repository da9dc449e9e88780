using System.Globalization;
using System.Numerics;
using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>
/// A scalar (spec section 3.5): a leaf value with result coercion (<see cref="Serialize"/>) and input coercion
/// from runtime values (<see cref="ParseValue"/>) and from literals (<see cref="ParseLiteral"/>).
/// Each throws <see cref="CoercionException"/> on a value it cannot represent.
/// </summary>
public sealed class ScalarType : NamedType
{
    private readonly Func<object, object?> _serialize;
    private readonly Func<object, object?> _parseValue;
    private readonly Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?> _parseLiteral;

    /// <summary>
    /// A custom scalar. Without coercion functions it passes values through unchanged and reads literals
    /// as plain values (objects become dictionaries, lists become lists, numbers long or double).
    /// </summary>
    public ScalarType(
        string name,
        string? description = null,
        string? specifiedByUrl = null,
        Func<object, object?>? serialize = null,
        Func<object, object?>? parseValue = null,
        Func<ValueNode, IReadOnlyDictionary<string, object?>?, object?>? parseLiteral = null)
        : base(name, description)
    {
        SpecifiedByUrl = specifiedByUrl;
        _serialize = serialize ?? (v => v);
        _parseValue = parseValue ?? (v => v);
        _parseLiteral = parseLiteral ?? ((ValueNode node, IReadOnlyDictionary<string, object?>? variables) => _parseValue(ValueCoercion.ValueFromAstUntyped(node, variables)!));
    }

    /// <summary>The URL of the specification of this scalar's behaviour (<c>@specifiedBy</c>).</summary>
    public string? SpecifiedByUrl { get; }

    /// <summary>Whether this is one of the five scalars the specification defines.</summary>
    public bool IsSpecified => ReferenceEquals(this, Int) || ReferenceEquals(this, Float) || ReferenceEquals(this, String)
        || ReferenceEquals(this, Boolean) || ReferenceEquals(this, ID);

    /// <summary>Result coercion: a resolver's value to the value in the response. Null stays null.</summary>
    public object? Serialize(object? value) => value is null ? null : _serialize(value);

    /// <summary>Input coercion of a runtime value (a variable or default value). Null stays null.</summary>
    public object? ParseValue(object? value) => value is null ? null : _parseValue(value);

    /// <summary>Input coercion of a literal; variables inside it are read from <paramref name="variables"/>.</summary>
    public object? ParseLiteral(ValueNode node, IReadOnlyDictionary<string, object?>? variables = null) =>
        node is NullValueNode ? null : _parseLiteral(node, variables);

    /// <summary>The five scalars of the specification, by name.</summary>
    public static IReadOnlyList<ScalarType> SpecifiedScalars => [Int, Float, String, Boolean, ID];

    // Section 3.5.1: a signed 32-bit integer.
    public static ScalarType Int { get; } = new(
        "Int",
        "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.",
        serialize: value =>
        {
            var number = value switch
            {
                bool b => b ? 1 : 0,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && s.Trim().Length > 0 => parsed,
                _ => ToNumber(value),
            };
            return ToInt32(number, value);
        },
        parseValue: value =>
        {
            if (value is bool or string || ToNumber(value) is not { } number)
                throw new CoercionException($"Int cannot represent non-integer value: {Inspect.Value(value)}");
            return ToInt32(number, value);
        },
        parseLiteral: (node, _) =>
        {
            if (node is not IntValueNode intNode)
                throw new CoercionException($"Int cannot represent non-integer value: {Printer.Print(node)}");
            if (!int.TryParse(intNode.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
                throw new CoercionException($"Int cannot represent non 32-bit signed integer value: {intNode.Value}");
            return result;
        });

    // Section 3.5.2: a finite IEEE 754 double.
    public static ScalarType Float { get; } = new(
        "Float",
        "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).",
        serialize: value =>
        {
            var number = value switch
            {
                bool b => b ? 1d : 0d,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && s.Trim().Length > 0 => parsed,
                _ => ToNumber(value),
            };
            if (number is not { } finite || !double.IsFinite(finite))
                throw new CoercionException($"Float cannot represent non numeric value: {Inspect.Value(value)}");
            return finite;
        },
        parseValue: value =>
        {
            if (value is bool or string || ToNumber(value) is not { } number || !double.IsFinite(number))
                throw new CoercionException($"Float cannot represent non numeric value: {Inspect.Value(value)}");
            return number;
        },
        parseLiteral: (node, _) => node switch
        {
            IntValueNode or FloatValueNode => double.Parse(node is IntValueNode i ? i.Value : ((FloatValueNode)node).Value, CultureInfo.InvariantCulture),
            _ => throw new CoercionException($"Float cannot represent non numeric value: {Printer.Print(node)}"),
        });

    // Section 3.5.3: a sequence of Unicode code points.
    public static ScalarType String { get; } = new(
        "String",
        "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.",
        serialize: value => value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            _ when ToNumber(value) is { } number && double.IsFinite(number) => Inspect.Value(value),
            _ => throw new CoercionException($"String cannot represent value: {Inspect.Value(value)}"),
        },
        parseValue: value => value as string
            ?? throw new CoercionException($"String cannot represent a non string value: {Inspect.Value(value)}"),
        parseLiteral: (node, _) => (node as StringValueNode)?.Value
            ?? throw new CoercionException($"String cannot represent a non string value: {Printer.Print(node)}"));

    // Section 3.5.4: true or false.
    public static ScalarType Boolean { get; } = new(
        "Boolean",
        "The `Boolean` scalar type represents `true` or `false`.",
        serialize: value => value switch
        {
            bool b => b,
            _ when ToNumber(value) is { } number && double.IsFinite(number) => number != 0,
            _ => throw new CoercionException($"Boolean cannot represent a non boolean value: {Inspect.Value(value)}"),
        },
        parseValue: value => value as bool?
            ?? throw new CoercionException($"Boolean cannot represent a non boolean value: {Inspect.Value(value)}"),
        parseLiteral: (node, _) => (node as BooleanValueNode)?.Value
            ?? throw new CoercionException($"Boolean cannot represent a non boolean value: {Printer.Print(node)}"));

    // Section 3.5.5: a unique identifier, serialized as a String; accepts strings and integers as input.
    public static ScalarType ID { get; } = new(
        "ID",
        "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID.",
        serialize: value => value switch
        {
            string s => s,
            Guid g => g.ToString(),
            _ when IsInteger(value) => Inspect.Value(value),
            _ => throw new CoercionException($"ID cannot represent value: {Inspect.Value(value)}"),
        },
        parseValue: value => value switch
        {
            string s => s,
            _ when IsInteger(value) => Inspect.Value(value),
            _ => throw new CoercionException($"ID cannot represent value: {Inspect.Value(value)}"),
        },
        parseLiteral: (node, _) => node switch
        {
            StringValueNode s => s.Value,
            IntValueNode i => i.Value,
            _ => throw new CoercionException($"ID cannot represent a non-string and non-integer value: {Printer.Print(node)}"),
        });

    private static int ToInt32(double? number, object original)
    {
        if (number is not { } n || !double.IsFinite(n) || Math.Floor(n) != n)
            throw new CoercionException($"Int cannot represent non-integer value: {Inspect.Value(original)}");
        if (n is > int.MaxValue or < int.MinValue)
            throw new CoercionException($"Int cannot represent non 32-bit signed integer value: {Inspect.Value(original)}");
        return (int)n;
    }

    private static double? ToNumber(object value) => value switch
    {
        int i => i,
        long l => l,
        double d => d,
        float f => f,
        decimal m => (double)m,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        uint ui => ui,
        ulong ul => ul,
        ushort us => us,
        BigInteger big => (double)big,
        _ => null,
    };

    private static bool IsInteger(object value) =>
        value is int or long or short or byte or sbyte or uint or ulong or ushort or BigInteger
        || (value is double or float or decimal && ToNumber(value) is { } n && double.IsFinite(n) && Math.Floor(n) == n);
}
