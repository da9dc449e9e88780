namespace Records.GraphQL.Language;

// The abstract syntax tree (spec sections 2 "Language" and 3 "Type System"), one record per grammar
// production, named as graphql-js names its node kinds. Nodes are immutable; lists are never null
// (empty when absent). Records compare lists by reference, so compare trees by printing them.

/// <summary>Any node of the tree. <see cref="Location"/> is null when parsed with <see cref="ParserOptions.NoLocation"/> or built by hand.</summary>
public abstract record Node(Location? Location);

/// <summary>A Name token.</summary>
public sealed record NameNode(string Value, Location? Location = null) : Node(Location)
{
    public override string ToString() => Value;
}

/// <summary>A whole document: executable definitions, type system definitions and extensions.</summary>
public sealed record DocumentNode(IReadOnlyList<DefinitionNode> Definitions, Location? Location = null) : Node(Location);

/// <summary>A top-level definition of a document.</summary>
public abstract record DefinitionNode(Location? Location) : Node(Location);

/// <summary>An operation or fragment definition: the definitions a request may hold.</summary>
public abstract record ExecutableDefinitionNode(
    StringValueNode? Description,
    IReadOnlyList<DirectiveNode> Directives,
    SelectionSetNode SelectionSet,
    Location? Location) : DefinitionNode(Location);

public enum OperationType
{
    Query,
    Mutation,
    Subscription,
}

/// <summary>An operation; <see cref="Name"/> is null for anonymous operations and the <c>{ … }</c> shorthand.</summary>
public sealed record OperationDefinitionNode(
    OperationType Operation,
    NameNode? Name,
    IReadOnlyList<VariableDefinitionNode> VariableDefinitions,
    IReadOnlyList<DirectiveNode> Directives,
    SelectionSetNode SelectionSet,
    StringValueNode? Description = null,
    Location? Location = null) : ExecutableDefinitionNode(Description, Directives, SelectionSet, Location);

/// <summary><c>$name: Type = default @directives</c> in an operation's variable list.</summary>
public sealed record VariableDefinitionNode(
    VariableNode Variable,
    TypeNode Type,
    ValueNode? DefaultValue,
    IReadOnlyList<DirectiveNode> Directives,
    StringValueNode? Description = null,
    Location? Location = null) : Node(Location);

/// <summary><c>{ selections }</c>.</summary>
public sealed record SelectionSetNode(IReadOnlyList<SelectionNode> Selections, Location? Location = null) : Node(Location);

/// <summary>A field, fragment spread or inline fragment.</summary>
public abstract record SelectionNode(IReadOnlyList<DirectiveNode> Directives, Location? Location) : Node(Location);

/// <summary><c>alias: name(arguments) @directives { selections }</c>.</summary>
public sealed record FieldNode(
    NameNode? Alias,
    NameNode Name,
    IReadOnlyList<ArgumentNode> Arguments,
    IReadOnlyList<DirectiveNode> Directives,
    SelectionSetNode? SelectionSet,
    Location? Location = null) : SelectionNode(Directives, Location)
{
    /// <summary>The key of this field in the response: its alias, else its name.</summary>
    public string ResponseKey => (Alias ?? Name).Value;
}

/// <summary><c>name: value</c> in a field's or directive's arguments.</summary>
public sealed record ArgumentNode(NameNode Name, ValueNode Value, Location? Location = null) : Node(Location);

/// <summary><c>...FragmentName @directives</c>.</summary>
public sealed record FragmentSpreadNode(NameNode Name, IReadOnlyList<DirectiveNode> Directives, Location? Location = null)
    : SelectionNode(Directives, Location);

/// <summary><c>... on Type @directives { selections }</c>; the type condition is optional.</summary>
public sealed record InlineFragmentNode(
    NamedTypeNode? TypeCondition,
    IReadOnlyList<DirectiveNode> Directives,
    SelectionSetNode SelectionSet,
    Location? Location = null) : SelectionNode(Directives, Location);

/// <summary><c>fragment Name on Type @directives { selections }</c>.</summary>
public sealed record FragmentDefinitionNode(
    NameNode Name,
    NamedTypeNode TypeCondition,
    IReadOnlyList<DirectiveNode> Directives,
    SelectionSetNode SelectionSet,
    StringValueNode? Description = null,
    Location? Location = null) : ExecutableDefinitionNode(Description, Directives, SelectionSet, Location);

// Values (section 2.9)

/// <summary>An input value literal, or a variable.</summary>
public abstract record ValueNode(Location? Location) : Node(Location);

/// <summary><c>$name</c>.</summary>
public sealed record VariableNode(NameNode Name, Location? Location = null) : ValueNode(Location);

/// <summary>An IntValue, kept as its source text so no precision is lost before coercion.</summary>
public sealed record IntValueNode(string Value, Location? Location = null) : ValueNode(Location);

/// <summary>A FloatValue, kept as its source text.</summary>
public sealed record FloatValueNode(string Value, Location? Location = null) : ValueNode(Location);

/// <summary>A StringValue; <see cref="Block"/> when written as a block string (<see cref="Value"/> is already dedented).</summary>
public sealed record StringValueNode(string Value, bool Block = false, Location? Location = null) : ValueNode(Location);

public sealed record BooleanValueNode(bool Value, Location? Location = null) : ValueNode(Location);

public sealed record NullValueNode(Location? Location = null) : ValueNode(Location);

/// <summary>An enum value: a name other than true, false and null.</summary>
public sealed record EnumValueNode(string Value, Location? Location = null) : ValueNode(Location);

public sealed record ListValueNode(IReadOnlyList<ValueNode> Values, Location? Location = null) : ValueNode(Location);

public sealed record ObjectValueNode(IReadOnlyList<ObjectFieldNode> Fields, Location? Location = null) : ValueNode(Location);

/// <summary><c>name: value</c> inside an object value.</summary>
public sealed record ObjectFieldNode(NameNode Name, ValueNode Value, Location? Location = null) : Node(Location);

// Directives (section 2.12)

/// <summary><c>@name(arguments)</c>.</summary>
public sealed record DirectiveNode(NameNode Name, IReadOnlyList<ArgumentNode> Arguments, Location? Location = null) : Node(Location);

// Type references (section 2.11)

/// <summary>A reference to a type: named, list or non-null.</summary>
public abstract record TypeNode(Location? Location) : Node(Location);

public sealed record NamedTypeNode(NameNode Name, Location? Location = null) : TypeNode(Location);

/// <summary><c>[Type]</c>.</summary>
public sealed record ListTypeNode(TypeNode Type, Location? Location = null) : TypeNode(Location);

/// <summary><c>Type!</c>; the inner type is never itself non-null.</summary>
public sealed record NonNullTypeNode(TypeNode Type, Location? Location = null) : TypeNode(Location);
