using System.Collections;
using System.Globalization;
using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>
/// Input coercion (spec section 3.* "Input Coercion") of literals and runtime values, and the reverse: a runtime value as a literal.
/// Coerced values are: int (Int), double (Float), string (String, ID), bool, the enum value's runtime value,
/// <see cref="Dictionary{TKey,TValue}"/> of string to object? (input objects) and <see cref="List{T}"/> of object? (lists).
/// </summary>
public static class ValueCoercion
{
    /// <summary>
    /// Coerces a literal to <paramref name="type"/> (graphql-js's valueFromAST). Variables are read from
    /// <paramref name="variables"/> (already coerced); a missing variable counts as absent. Returns false when the literal is invalid,
    /// which is what "Values of Correct Type" validation and argument coercion both need.
    /// </summary>
    public static bool TryCoerceInputLiteral(
        ValueNode node, GraphQLType type, IReadOnlyDictionary<string, object?>? variables, out object? value)
    {
        value = null;
        if (node is VariableNode variable)
        {
            if (variables is null || !variables.TryGetValue(variable.Name.Value, out value)) return false;
            // A null variable is only invalid where non-null is required.
            return value is not null || type is not NonNullType;
        }

        switch (type)
        {
            case NonNullType nonNull:
                return node is not NullValueNode && TryCoerceInputLiteral(node, nonNull.OfType, variables, out value);
            case var _ when node is NullValueNode:
                return true;
            case ListType list:
                return TryCoerceList(node, list.OfType, variables, out value);
            case InputObjectType input:
                return TryCoerceInputObject(node, input, variables, out value);
            case ScalarType scalar:
                try
                {
                    value = scalar.ParseLiteral(node, variables);
                    return true;
                }
                catch (CoercionException)
                {
                    return false;
                }
            case EnumType enumType:
                if (node is not EnumValueNode enumNode || enumType.GetValue(enumNode.Value) is not { } definition) return false;
                value = definition.Value;
                return true;
            default:
                throw new ArgumentException($"Expected an input type, got {type}.", nameof(type));
        }
    }

    /// <summary>Like <see cref="TryCoerceInputLiteral"/>, throwing <see cref="CoercionException"/> when invalid.</summary>
    public static object? CoerceInputLiteral(ValueNode node, GraphQLType type, IReadOnlyDictionary<string, object?>? variables = null) =>
        TryCoerceInputLiteral(node, type, variables, out var value)
            ? value
            : throw new CoercionException($"Expected value of type \"{type}\", found {Printer.Print(node)}.");

    private static bool TryCoerceList(ValueNode node, GraphQLType itemType, IReadOnlyDictionary<string, object?>? variables, out object? value)
    {
        value = null;
        if (node is not ListValueNode list)
        {
            // Input coercion accepts a single item where a list is expected.
            if (!TryCoerceInputLiteral(node, itemType, variables, out var single)) return false;
            value = new List<object?> { single };
            return true;
        }

        var items = new List<object?>(list.Values.Count);
        foreach (var itemNode in list.Values)
        {
            if (IsMissingVariable(itemNode, variables))
            {
                // A missing variable inside a list becomes null, which a non-null item type rejects.
                if (itemType is NonNullType) return false;
                items.Add(null);
                continue;
            }
            if (!TryCoerceInputLiteral(itemNode, itemType, variables, out var item)) return false;
            items.Add(item);
        }
        value = items;
        return true;
    }

    private static bool TryCoerceInputObject(ValueNode node, InputObjectType type, IReadOnlyDictionary<string, object?>? variables, out object? value)
    {
        value = null;
        if (node is not ObjectValueNode objectNode) return false;
        var fieldNodes = new Dictionary<string, ValueNode>();
        foreach (var field in objectNode.Fields)
        {
            if (!type.Fields.ContainsKey(field.Name.Value) || !fieldNodes.TryAdd(field.Name.Value, field.Value)) return false;
        }

        var result = new Dictionary<string, object?>();
        foreach (var field in type.Fields.Values)
        {
            if (!fieldNodes.TryGetValue(field.Name, out var fieldNode) || IsMissingVariable(fieldNode, variables))
            {
                if (field.HasDefaultValue) result[field.Name] = field.DefaultValue;
                else if (field.Type is NonNullType) return false;
                continue;
            }
            if (!TryCoerceInputLiteral(fieldNode, field.Type, variables, out var fieldValue)) return false;
            result[field.Name] = fieldValue;
        }

        // @oneOf: exactly one field, and not null.
        if (type.IsOneOf && (result.Count != 1 || result.Values.Single() is null)) return false;
        value = result;
        return true;
    }

    private static bool IsMissingVariable(ValueNode node, IReadOnlyDictionary<string, object?>? variables) =>
        node is VariableNode variable && (variables is null || !variables.ContainsKey(variable.Name.Value));

    /// <summary>
    /// Coerces a runtime value (a variable's JSON value or a code-first default) to <paramref name="type"/>
    /// (graphql-js's coerceInputValue). Throws <see cref="CoercionException"/> naming the path of the first bad value.
    /// </summary>
    public static object? CoerceInputValue(object? value, GraphQLType type, string path = "value")
    {
        switch (type)
        {
            case NonNullType nonNull:
                if (value is null)
                    throw new CoercionException($"Expected non-nullable type \"{type}\" not to be null at {path}.");
                return CoerceInputValue(value, nonNull.OfType, path);
            case var _ when value is null:
                return null;
            case ListType list:
                if (value is IEnumerable items and not string && value is not IDictionary && value is not IReadOnlyDictionary<string, object?>)
                    return items.Cast<object?>().Select((item, i) => CoerceInputValue(item, list.OfType, $"{path}[{i}]")).ToList();
                return new List<object?> { CoerceInputValue(value, list.OfType, path) };
            case InputObjectType input:
                return CoerceInputObject(value, input, path);
            case ScalarType scalar:
                return Wrap(() => scalar.ParseValue(value), path);
            case EnumType enumType:
                return Wrap(() => enumType.ParseValue(value), path);
            default:
                throw new ArgumentException($"Expected an input type, got {type}.", nameof(type));
        }
    }

    private static Dictionary<string, object?> CoerceInputObject(object value, InputObjectType type, string path)
    {
        var fields = AsFields(value)
            ?? throw new CoercionException($"Expected type \"{type.Name}\" to be an object at {path}.");
        foreach (var name in fields.Keys)
        {
            if (!type.Fields.ContainsKey(name))
                throw new CoercionException($"Field \"{name}\" is not defined by type \"{type.Name}\" at {path}.");
        }

        var result = new Dictionary<string, object?>();
        foreach (var field in type.Fields.Values)
        {
            if (!fields.TryGetValue(field.Name, out var fieldValue))
            {
                if (field.HasDefaultValue) result[field.Name] = field.DefaultValue;
                else if (field.Type is NonNullType)
                    throw new CoercionException($"Field \"{field.Name}\" of required type \"{field.Type}\" was not provided at {path}.");
                continue;
            }
            result[field.Name] = CoerceInputValue(fieldValue, field.Type, $"{path}.{field.Name}");
        }

        if (type.IsOneOf)
        {
            if (result.Count != 1)
                throw new CoercionException($"Exactly one key must be specified for OneOf type \"{type.Name}\" at {path}.");
            if (result.Values.Single() is null)
                throw new CoercionException($"Field \"{result.Keys.Single()}\" must be non-null at {path}.");
        }
        return result;
    }

    private static object? Wrap(Func<object?> coerce, string path)
    {
        try
        {
            return coerce();
        }
        catch (CoercionException e)
        {
            throw new CoercionException($"{e.Message.TrimEnd('.')} at {path}.");
        }
    }

    private static IReadOnlyDictionary<string, object?>? AsFields(object value) => value switch
    {
        IReadOnlyDictionary<string, object?> fields => fields,
        IDictionary dictionary => dictionary.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => dictionary[k]),
        _ => null,
    };

    /// <summary>A literal's plain value without a type (graphql-js's valueFromASTUntyped): Int as long, Float as double, objects as dictionaries.</summary>
    public static object? ValueFromAstUntyped(ValueNode node, IReadOnlyDictionary<string, object?>? variables = null) => node switch
    {
        NullValueNode => null,
        IntValueNode i => long.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? (object)l
            : double.Parse(i.Value, CultureInfo.InvariantCulture),
        FloatValueNode f => double.Parse(f.Value, CultureInfo.InvariantCulture),
        StringValueNode s => s.Value,
        BooleanValueNode b => b.Value,
        EnumValueNode e => e.Value,
        ListValueNode list => list.Values.Select(v => ValueFromAstUntyped(v, variables)).ToList(),
        ObjectValueNode obj => obj.Fields.ToDictionary(f => f.Name.Value, f => ValueFromAstUntyped(f.Value, variables)),
        VariableNode v => variables?.GetValueOrDefault(v.Name.Value),
        _ => throw new ArgumentException($"Unexpected value node {node.GetType().Name}.", nameof(node)),
    };

    /// <summary>
    /// A coerced runtime value as a literal of <paramref name="type"/> (graphql-js's astFromValue), used to print
    /// default values in SDL and introspection. Returns null when the value cannot be represented.
    /// </summary>
    public static ValueNode? AstFromValue(object? value, GraphQLType type)
    {
        if (type is NonNullType nonNull)
        {
            var inner = AstFromValue(value, nonNull.OfType);
            return inner is NullValueNode ? null : inner;
        }
        if (value is null) return new NullValueNode();

        switch (type)
        {
            case ListType list:
                if (value is IEnumerable items and not string)
                    return new ListValueNode(items.Cast<object?>().Select(item => AstFromValue(item, list.OfType)).OfType<ValueNode>().ToList());
                return AstFromValue(value, list.OfType);
            case InputObjectType input:
                if (AsFields(value) is not { } fields) return null;
                var fieldNodes = new List<ObjectFieldNode>();
                foreach (var field in input.Fields.Values)
                {
                    if (fields.TryGetValue(field.Name, out var fieldValue) && AstFromValue(fieldValue, field.Type) is { } fieldNode)
                        fieldNodes.Add(new ObjectFieldNode(new NameNode(field.Name), fieldNode));
                }
                return new ObjectValueNode(fieldNodes);
            case EnumType enumType:
                return enumType.Serialize(value) is { } name ? new EnumValueNode(name) : null;
            case ScalarType scalar:
                return ScalarLiteral(scalar, scalar.Serialize(value));
            default:
                throw new ArgumentException($"Expected an input type, got {type}.", nameof(type));
        }
    }

    private static ValueNode? ScalarLiteral(ScalarType scalar, object? serialized)
    {
        switch (serialized)
        {
            case null:
                return null;
            case bool b:
                return new BooleanValueNode(b);
            case int or long or short or byte or sbyte or uint or ulong or ushort:
                return new IntValueNode(Inspect.Value(serialized));
            case double or float or decimal:
                var number = Convert.ToDouble(serialized, CultureInfo.InvariantCulture);
                var text = Inspect.FormatDouble(number);
                return Math.Floor(number) == number && !text.Contains('e', StringComparison.Ordinal) ? new IntValueNode(text) : new FloatValueNode(text);
            case string s:
                // IDs that look like integers print as Int literals.
                if (ReferenceEquals(scalar, ScalarType.ID) && IsIntegerText(s)) return new IntValueNode(s);
                return new StringValueNode(s);
            case IReadOnlyDictionary<string, object?> or IDictionary:
                // Custom scalars may hold structured values (e.g. JSON): print them as untyped object literals.
                return new ObjectValueNode(AsFields(serialized)!
                    .Select(f => new ObjectFieldNode(new NameNode(f.Key), ScalarLiteral(scalar, f.Value) ?? new NullValueNode()))
                    .ToList());
            case IEnumerable items:
                return new ListValueNode(items.Cast<object?>().Select(item => ScalarLiteral(scalar, item) ?? new NullValueNode()).ToList());
            default:
                throw new CoercionException($"Cannot convert value to AST: {Inspect.Value(serialized)}.");
        }
    }

    private static bool IsIntegerText(string s)
    {
        var digits = s.StartsWith('-') ? s.AsSpan(1) : s.AsSpan();
        if (digits.Length == 0 || (digits.Length > 1 && digits[0] == '0')) return false;
        foreach (var c in digits) if (!Lexer.IsDigit(c)) return false;
        return true;
    }
}
