namespace Records.GraphQL.Language;

// Type system definitions and extensions (spec section 3), as written in SDL.

/// <summary>A definition or extension of the type system (never executable).</summary>
public abstract record TypeSystemDefinitionNode(IReadOnlyList<DirectiveNode> Directives, Location? Location) : DefinitionNode(Location);

/// <summary><c>schema @directives { query: Query … }</c>.</summary>
public sealed record SchemaDefinitionNode(
    StringValueNode? Description,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<OperationTypeDefinitionNode> OperationTypes,
    Location? Location = null) : TypeSystemDefinitionNode(Directives, Location);

/// <summary><c>query: Query</c> inside a schema definition or extension.</summary>
public sealed record OperationTypeDefinitionNode(OperationType Operation, NamedTypeNode Type, Location? Location = null) : Node(Location);

/// <summary>A named type's definition: scalar, type, interface, union, enum or input.</summary>
public abstract record TypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    Location? Location) : TypeSystemDefinitionNode(Directives, Location);

public sealed record ScalarTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    Location? Location = null) : TypeDefinitionNode(Description, Name, Directives, Location);

public sealed record ObjectTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<NamedTypeNode> Interfaces,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<FieldDefinitionNode> Fields,
    Location? Location = null) : TypeDefinitionNode(Description, Name, Directives, Location);

/// <summary>A field of an object or interface type.</summary>
public sealed record FieldDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<InputValueDefinitionNode> Arguments,
    TypeNode Type,
    IReadOnlyList<DirectiveNode> Directives,
    Location? Location = null) : Node(Location);

/// <summary>An argument of a field or directive, or a field of an input object.</summary>
public sealed record InputValueDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    TypeNode Type,
    ValueNode? DefaultValue,
    IReadOnlyList<DirectiveNode> Directives,
    Location? Location = null) : Node(Location);

public sealed record InterfaceTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<NamedTypeNode> Interfaces,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<FieldDefinitionNode> Fields,
    Location? Location = null) : TypeDefinitionNode(Description, Name, Directives, Location);

public sealed record UnionTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<NamedTypeNode> Types,
    Location? Location = null) : TypeDefinitionNode(Description, Name, Directives, Location);

public sealed record EnumTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<EnumValueDefinitionNode> Values,
    Location? Location = null) : TypeDefinitionNode(Description, Name, Directives, Location);

public sealed record EnumValueDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    Location? Location = null) : Node(Location);

public sealed record InputObjectTypeDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<InputValueDefinitionNode> Fields,
    Location? Location = null) : TypeDefinitionNode(Description, Name, Directives, Location);

/// <summary><c>directive @name(arguments) repeatable on LOCATION | …</c>.</summary>
public sealed record DirectiveDefinitionNode(
    StringValueNode? Description,
    NameNode Name,
    IReadOnlyList<InputValueDefinitionNode> Arguments,
    bool Repeatable,
    IReadOnlyList<NameNode> Locations,
    Location? Location = null) : TypeSystemDefinitionNode([], Location);

// Extensions

/// <summary><c>extend schema @directives { operation types }</c>.</summary>
public sealed record SchemaExtensionNode(
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<OperationTypeDefinitionNode> OperationTypes,
    Location? Location = null) : TypeSystemDefinitionNode(Directives, Location);

/// <summary>An extension of a named type: <c>extend scalar|type|interface|union|enum|input Name …</c>.</summary>
public abstract record TypeExtensionNode(NameNode Name, IReadOnlyList<DirectiveNode> Directives, Location? Location)
    : TypeSystemDefinitionNode(Directives, Location);

public sealed record ScalarTypeExtensionNode(NameNode Name, IReadOnlyList<DirectiveNode> Directives, Location? Location = null)
    : TypeExtensionNode(Name, Directives, Location);

public sealed record ObjectTypeExtensionNode(
    NameNode Name,
    IReadOnlyList<NamedTypeNode> Interfaces,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<FieldDefinitionNode> Fields,
    Location? Location = null) : TypeExtensionNode(Name, Directives, Location);

public sealed record InterfaceTypeExtensionNode(
    NameNode Name,
    IReadOnlyList<NamedTypeNode> Interfaces,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<FieldDefinitionNode> Fields,
    Location? Location = null) : TypeExtensionNode(Name, Directives, Location);

public sealed record UnionTypeExtensionNode(
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<NamedTypeNode> Types,
    Location? Location = null) : TypeExtensionNode(Name, Directives, Location);

public sealed record EnumTypeExtensionNode(
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<EnumValueDefinitionNode> Values,
    Location? Location = null) : TypeExtensionNode(Name, Directives, Location);

public sealed record InputObjectTypeExtensionNode(
    NameNode Name,
    IReadOnlyList<DirectiveNode> Directives,
    IReadOnlyList<InputValueDefinitionNode> Fields,
    Location? Location = null) : TypeExtensionNode(Name, Directives, Location);

/// <summary>Where a directive may be used (spec section 3.13 "DirectiveLocations").</summary>
public enum DirectiveLocation
{
    // Executable locations
    QUERY,
    MUTATION,
    SUBSCRIPTION,
    FIELD,
    FRAGMENT_DEFINITION,
    FRAGMENT_SPREAD,
    INLINE_FRAGMENT,
    VARIABLE_DEFINITION,

    /// <summary>graphql-js 17's experimental fragment variables; accepted in SDL so such schemas still build.</summary>
    FRAGMENT_VARIABLE_DEFINITION,

    // Type system locations
    SCHEMA,
    SCALAR,
    OBJECT,
    FIELD_DEFINITION,
    ARGUMENT_DEFINITION,
    INTERFACE,
    UNION,
    ENUM,
    ENUM_VALUE,
    INPUT_OBJECT,
    INPUT_FIELD_DEFINITION,
}
