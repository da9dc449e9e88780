using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>An argument of a field or directive, or a field of an input object (graphql-js's GraphQLArgument and GraphQLInputField).</summary>
public sealed class InputValueDefinition
{
    private readonly object? _defaultValue;

    public InputValueDefinition(string name, GraphQLType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type ?? throw new ArgumentNullException(nameof(type));
    }

    public string Name { get; }

    public GraphQLType Type { get; }

    /// <summary>The default, as an already coerced input value (e.g. int for Int, a dictionary for an input object). Setting it, even to null, sets <see cref="HasDefaultValue"/>.</summary>
    public object? DefaultValue
    {
        get => _defaultValue;
        init
        {
            _defaultValue = value;
            HasDefaultValue = true;
        }
    }

    /// <summary>Whether a default is defined; distinguishes "no default" from a null default.</summary>
    public bool HasDefaultValue { get; private init; }

    public string? Description { get; init; }

    /// <summary>Non-null when deprecated (<c>@deprecated</c>).</summary>
    public string? DeprecationReason { get; init; }

    public InputValueDefinitionNode? AstNode { get; init; }

    public bool IsDeprecated => DeprecationReason is not null;

    /// <summary>Non-null without a default: must be provided.</summary>
    public bool IsRequired => Type is NonNullType && !HasDefaultValue;
}

/// <summary>An input object type (spec section 3.10); <see cref="IsOneOf"/> when exactly one field must be given (<c>@oneOf</c>).</summary>
public sealed class InputObjectType : NamedType
{
    private readonly Action<InputFieldsBuilder> _configure;
    private readonly Lock _buildLock = new();
    private IReadOnlyDictionary<string, InputValueDefinition>? _fields;

    public InputObjectType(string name, Action<InputFieldsBuilder> configure, string? description = null, bool isOneOf = false)
        : base(name, description)
    {
        _configure = configure ?? throw new ArgumentNullException(nameof(configure));
        IsOneOf = isOneOf;
    }

    public bool IsOneOf { get; }

    /// <summary>The fields, in definition order; built on first use so input types may refer to each other.</summary>
    public IReadOnlyDictionary<string, InputValueDefinition> Fields
    {
        get
        {
            if (_fields is not null) return _fields;
            lock (_buildLock)
            {
                if (_fields is null)
                {
                    var builder = new InputFieldsBuilder(this);
                    _configure(builder);
                    _fields = builder.BuiltFields;
                }
                return _fields;
            }
        }
    }
}

/// <summary>Collects the fields of an input object type in its configuration callback.</summary>
public sealed class InputFieldsBuilder
{
    private readonly OrderedDictionary<string, InputValueDefinition> _fields = [];

    internal InputFieldsBuilder(InputObjectType owner) => Owner = owner;

    public InputObjectType Owner { get; }

    internal IReadOnlyDictionary<string, InputValueDefinition> BuiltFields => _fields;

    /// <summary>Adds a field without a default.</summary>
    public InputFieldsBuilder Field(string name, GraphQLType type, string? description = null, string? deprecationReason = null) =>
        Field(new InputValueDefinition(name, type) { Description = description, DeprecationReason = deprecationReason });

    /// <summary>Adds a field built by hand (e.g. with a <see cref="InputValueDefinition.DefaultValue"/>). Throws when the name is taken.</summary>
    public InputFieldsBuilder Field(InputValueDefinition field)
    {
        if (!_fields.TryAdd(field.Name, field))
            throw new ArgumentException($"Input field \"{Owner.Name}.{field.Name}\" can only be defined once.", nameof(field));
        return this;
    }
}
