using System.Text;
using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>A value of an enum type: its GraphQL name and the runtime value it stands for.</summary>
public sealed record EnumValueDefinition(string Name, object? Value)
{
    public string? Description { get; init; }

    /// <summary>Non-null when deprecated (<c>@deprecated</c>).</summary>
    public string? DeprecationReason { get; init; }

    public EnumValueDefinitionNode? AstNode { get; init; }

    public bool IsDeprecated => DeprecationReason is not null;
}

/// <summary>An enum type (spec section 3.9): serializes runtime values to names and parses names back.</summary>
public sealed class EnumType : NamedType
{
    private readonly Dictionary<string, EnumValueDefinition> _byName = [];
    private readonly Dictionary<object, EnumValueDefinition> _byValue = [];

    public EnumType(string name, IEnumerable<EnumValueDefinition> values, string? description = null) : base(name, description)
    {
        Values = values.ToArray();
        foreach (var value in Values)
        {
            if (!_byName.TryAdd(value.Name, value))
                throw new ArgumentException($"Enum value \"{name}.{value.Name}\" can only be defined once.", nameof(values));
            if (value.Value is not null) _byValue.TryAdd(value.Value, value);
        }
    }

    /// <summary>An enum whose values are the names themselves (strings): the shape of enums built from SDL.</summary>
    public static EnumType FromNames(string name, IEnumerable<string> names, string? description = null) =>
        new(name, names.Select(n => new EnumValueDefinition(n, n)), description);

    /// <summary>
    /// An enum mapped to a C# enum: member <c>InProgress</c> becomes value <c>IN_PROGRESS</c>, standing for the member itself.
    /// <see cref="System.ObsoleteAttribute"/> on a member marks the value deprecated.
    /// </summary>
    public static EnumType FromEnum<TEnum>(string? name = null, string? description = null) where TEnum : struct, Enum =>
        new(name ?? typeof(TEnum).Name, Enum.GetValues<TEnum>().Select(member =>
        {
            var obsolete = typeof(TEnum).GetField(member.ToString())!.GetCustomAttributes(typeof(ObsoleteAttribute), false)
                .Cast<ObsoleteAttribute>().FirstOrDefault();
            return new EnumValueDefinition(ToConstantCase(member.ToString()), member)
            {
                DeprecationReason = obsolete is null ? null : obsolete.Message ?? DirectiveDefinition.DefaultDeprecationReason,
            };
        }), description);

    /// <summary>The values, in definition order.</summary>
    public IReadOnlyList<EnumValueDefinition> Values { get; }

    /// <summary>The value of that name, or null.</summary>
    public EnumValueDefinition? GetValue(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Result coercion: a runtime value to its name.</summary>
    public string? Serialize(object? value)
    {
        if (value is null) return null;
        if (_byValue.TryGetValue(value, out var definition)) return definition.Name;
        throw new CoercionException($"Enum \"{Name}\" cannot represent value: {Inspect.Value(value)}");
    }

    /// <summary>Input coercion of a runtime value (a variable): a name to its runtime value.</summary>
    public object? ParseValue(object? value)
    {
        if (value is null) return null;
        if (value is not string name)
            throw new CoercionException($"Enum \"{Name}\" cannot represent non-string value: {Inspect.Value(value)}.");
        return GetValue(name) is { } definition
            ? definition.Value
            : throw new CoercionException($"Value \"{name}\" does not exist in \"{Name}\" enum.");
    }

    /// <summary>Input coercion of a literal: only enum literals (not strings) are accepted.</summary>
    public object? ParseLiteral(ValueNode node)
    {
        if (node is NullValueNode) return null;
        if (node is not EnumValueNode enumNode)
            throw new CoercionException($"Enum \"{Name}\" cannot represent non-enum value: {Printer.Print(node)}.");
        return GetValue(enumNode.Value) is { } definition
            ? definition.Value
            : throw new CoercionException($"Value \"{enumNode.Value}\" does not exist in \"{Name}\" enum.");
    }

    private static string ToConstantCase(string name)
    {
        var result = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                result.Append('_');
            result.Append(char.ToUpperInvariant(name[i]));
        }
        return result.ToString();
    }
}
