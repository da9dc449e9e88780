using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>
/// Any GraphQL type (spec section 3 "Type System"): a named type, or a list or non-null wrapper around one.
/// <see cref="ToString"/> prints the type reference as SDL writes it, e.g. <c>[String!]!</c>.
/// </summary>
public abstract class GraphQLType
{
    /// <summary>The named type inside all list and non-null wrappers.</summary>
    public abstract NamedType Named { get; }

    /// <summary>Scalars, enums and input objects (and wrappers of them) may be used as arguments and variables.</summary>
    public bool IsInputType => Named is ScalarType or EnumType or InputObjectType;

    /// <summary>Scalars, enums, objects, interfaces and unions (and wrappers of them) may be field types.</summary>
    public bool IsOutputType => Named is ScalarType or EnumType or ObjectType or InterfaceType or UnionType;

    /// <summary>This type without its outer non-null wrapper, if any.</summary>
    public GraphQLType Nullable => this is NonNullType nonNull ? nonNull.OfType : this;

    /// <summary>Wraps this type as non-null: <c>T!</c>.</summary>
    public NonNullType NonNull() => new(this);

    /// <summary>Wraps this type as a list: <c>[T]</c>.</summary>
    public ListType List() => new(this);

    public abstract override string ToString();
}

/// <summary>A type with a name: scalar, object, interface, union, enum or input object.</summary>
public abstract class NamedType : GraphQLType
{
    protected NamedType(string name, string? description)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Description = description;
    }

    public string Name { get; }

    public string? Description { get; }

    /// <summary>The SDL definition this type was built from, if any; schema validation reports its location.</summary>
    public TypeDefinitionNode? AstNode { get; init; }

    /// <summary>The SDL extensions merged into this type, in document order.</summary>
    public IReadOnlyList<TypeExtensionNode> ExtensionAstNodes { get; init; } = [];

    public override NamedType Named => this;

    /// <summary>Scalars and enums: the leaves of a response.</summary>
    public bool IsLeafType => this is ScalarType or EnumType;

    /// <summary>Interfaces and unions, whose runtime type is resolved during execution.</summary>
    public bool IsAbstractType => this is InterfaceType or UnionType;

    /// <summary>Objects, interfaces and unions: the types a selection set can select from.</summary>
    public bool IsCompositeType => this is ObjectType or InterfaceType or UnionType;

    public override string ToString() => Name;
}

/// <summary><c>[OfType]</c>.</summary>
public sealed class ListType(GraphQLType ofType) : GraphQLType
{
    public GraphQLType OfType { get; } = ofType ?? throw new ArgumentNullException(nameof(ofType));

    public override NamedType Named => OfType.Named;

    public override string ToString() => "[" + OfType + "]";
}

/// <summary><c>OfType!</c>; the wrapped type is never itself non-null.</summary>
public sealed class NonNullType : GraphQLType
{
    public NonNullType(GraphQLType ofType)
    {
        ArgumentNullException.ThrowIfNull(ofType);
        if (ofType is NonNullType)
            throw new ArgumentException($"Expected a nullable type, but got {ofType}.", nameof(ofType));
        OfType = ofType;
    }

    public GraphQLType OfType { get; }

    public override NamedType Named => OfType.Named;

    public override string ToString() => OfType + "!";
}
