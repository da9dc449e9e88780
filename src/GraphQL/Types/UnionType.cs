namespace Records.GraphQL.Types;

/// <summary>A union type (spec section 3.8): one of several object types.</summary>
public sealed class UnionType : NamedType
{
    private readonly Func<IEnumerable<ObjectType>> _types;
    private IReadOnlyList<ObjectType>? _built;

    /// <summary>A union whose members are given lazily, so members may be defined after the union.</summary>
    public UnionType(string name, Func<IEnumerable<ObjectType>> types, string? description = null) : base(name, description)
    {
        _types = types ?? throw new ArgumentNullException(nameof(types));
    }

    public UnionType(string name, IEnumerable<ObjectType> types, string? description = null)
        : this(name, () => types, description)
    {
    }

    /// <summary>The member types, in declaration order.</summary>
    public IReadOnlyList<ObjectType> Types => _built ??= _types().ToArray();

    /// <summary>Resolves the member type of a value; when null, execution falls back to the members' <see cref="ObjectType.IsTypeOf"/>.</summary>
    public TypeResolver? ResolveType { get; init; }
}
