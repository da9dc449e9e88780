using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>A resolver: computes a field's value from its <see cref="ResolveContext"/>.</summary>
public delegate ValueTask<object?> FieldResolver(ResolveContext context);

/// <summary>Picks the object type of a value of an interface or union type; null when it cannot tell.</summary>
public delegate ObjectType? TypeResolver(object value, ResolveContext context);

/// <summary>
/// Common shape of object and interface types: fields and implemented interfaces, both built lazily
/// by a configuration callback so types can refer to each other in cycles.
/// </summary>
public abstract class ComplexType : NamedType
{
    private readonly Action<FieldsBuilder> _configure;
    private readonly Lock _buildLock = new();
    private Built? _built;

    protected ComplexType(string name, Action<FieldsBuilder> configure, string? description) : base(name, description)
    {
        _configure = configure ?? throw new ArgumentNullException(nameof(configure));
    }

    /// <summary>The fields, in definition order.</summary>
    public IReadOnlyDictionary<string, FieldDefinition> Fields => Build().Fields;

    /// <summary>The interfaces this type declares it implements, in declaration order.</summary>
    public IReadOnlyList<InterfaceType> Interfaces => Build().Interfaces;

    /// <summary>The field of that name, or null.</summary>
    public FieldDefinition? GetField(string name) => Fields.GetValueOrDefault(name);

    // Published as one reference so concurrent readers never see half of it.
    private sealed record Built(IReadOnlyDictionary<string, FieldDefinition> Fields, IReadOnlyList<InterfaceType> Interfaces);

    private Built Build()
    {
        if (_built is { } built) return built;
        lock (_buildLock)
        {
            if (_built is null)
            {
                var builder = new FieldsBuilder(this);
                _configure(builder);
                _built = new Built(builder.BuiltFields, builder.BuiltInterfaces);
            }
            return _built;
        }
    }
}

/// <summary>An object type (spec section 3.6).</summary>
public sealed class ObjectType(string name, Action<FieldsBuilder> configure, string? description = null)
    : ComplexType(name, configure, description)
{
    /// <summary>Optional check used by execution to decide whether a value is of this type when resolving an abstract type.</summary>
    public Func<object, ResolveContext, bool>? IsTypeOf { get; init; }
}

/// <summary>An interface type (spec section 3.7); interfaces may implement other interfaces.</summary>
public sealed class InterfaceType(string name, Action<FieldsBuilder> configure, string? description = null)
    : ComplexType(name, configure, description)
{
    /// <summary>Resolves the object type of a value; when null, execution falls back to the objects' <see cref="ObjectType.IsTypeOf"/>.</summary>
    public TypeResolver? ResolveType { get; init; }
}

/// <summary>Collects the fields and interfaces of an object or interface type in its configuration callback.</summary>
public sealed class FieldsBuilder
{
    private readonly OrderedDictionary<string, FieldDefinition> _fields = [];
    private readonly List<InterfaceType> _interfaces = [];

    internal FieldsBuilder(ComplexType owner) => Owner = owner;

    /// <summary>The type being configured.</summary>
    public ComplexType Owner { get; }

    internal IReadOnlyDictionary<string, FieldDefinition> BuiltFields => _fields;

    internal IReadOnlyList<InterfaceType> BuiltInterfaces => _interfaces;

    /// <summary>Declares implemented interfaces.</summary>
    public FieldsBuilder Implements(params IEnumerable<InterfaceType> interfaces)
    {
        _interfaces.AddRange(interfaces);
        return this;
    }

    /// <summary>Adds a field with an asynchronous resolver (or none: execution's default resolver reads the parent's property or key).</summary>
    public FieldsBuilder Field(
        string name,
        GraphQLType type,
        Func<ResolveContext, ValueTask<object?>>? resolve = null,
        IEnumerable<InputValueDefinition>? arguments = null,
        string? description = null,
        string? deprecationReason = null) =>
        Field(new FieldDefinition(name, type, arguments)
        {
            Resolve = resolve is null ? null : new FieldResolver(resolve),
            Description = description,
            DeprecationReason = deprecationReason,
        });

    /// <summary>Adds a field with a synchronous resolver.</summary>
    public FieldsBuilder Field(
        string name,
        GraphQLType type,
        Func<ResolveContext, object?> resolve,
        IEnumerable<InputValueDefinition>? arguments = null,
        string? description = null,
        string? deprecationReason = null)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        return Field(name, type, context => ValueTask.FromResult(resolve(context)), arguments, description, deprecationReason);
    }

    /// <summary>Adds a field built by hand. Throws when the name is already taken.</summary>
    public FieldsBuilder Field(FieldDefinition field)
    {
        if (!_fields.TryAdd(field.Name, field))
            throw new ArgumentException($"Field \"{Owner.Name}.{field.Name}\" can only be defined once.", nameof(field));
        return this;
    }
}

/// <summary>A field of an object or interface type.</summary>
public sealed class FieldDefinition
{
    public FieldDefinition(string name, GraphQLType type, IEnumerable<InputValueDefinition>? arguments = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Arguments = arguments?.ToArray() ?? [];
    }

    public string Name { get; }

    public GraphQLType Type { get; }

    /// <summary>The arguments, in definition order.</summary>
    public IReadOnlyList<InputValueDefinition> Arguments { get; }

    public string? Description { get; init; }

    /// <summary>Non-null when deprecated (<c>@deprecated</c>); <see cref="DirectiveDefinition.DefaultDeprecationReason"/> when no reason was given.</summary>
    public string? DeprecationReason { get; init; }

    /// <summary>The resolver; null means execution's default resolver (property or dictionary key of the parent value).</summary>
    public FieldResolver? Resolve { get; init; }

    /// <summary>For subscription root fields: produces the event stream; <see cref="Resolve"/> then maps each event.</summary>
    public Func<ResolveContext, ValueTask<IAsyncEnumerable<object?>>>? Subscribe { get; init; }

    public FieldDefinitionNode? AstNode { get; init; }

    public bool IsDeprecated => DeprecationReason is not null;

    /// <summary>The argument of that name, or null.</summary>
    public InputValueDefinition? GetArgument(string name)
    {
        foreach (var argument in Arguments)
            if (argument.Name == name) return argument;
        return null;
    }
}
