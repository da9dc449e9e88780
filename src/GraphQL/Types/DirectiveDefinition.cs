using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>A directive definition (spec section 3.13): where it may be used, its arguments, whether it may repeat.</summary>
public sealed class DirectiveDefinition
{
    /// <summary>The reason <c>@deprecated</c> gives when none is written.</summary>
    public const string DefaultDeprecationReason = "No longer supported";

    public DirectiveDefinition(
        string name,
        IEnumerable<DirectiveLocation> locations,
        IEnumerable<InputValueDefinition>? arguments = null,
        bool isRepeatable = false,
        string? description = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Locations = locations.ToArray();
        Arguments = arguments?.ToArray() ?? [];
        IsRepeatable = isRepeatable;
        Description = description;
    }

    public string Name { get; }

    public string? Description { get; }

    public IReadOnlyList<DirectiveLocation> Locations { get; }

    public IReadOnlyList<InputValueDefinition> Arguments { get; }

    /// <summary>Whether the directive may appear more than once at one location.</summary>
    public bool IsRepeatable { get; }

    public DirectiveDefinitionNode? AstNode { get; init; }

    /// <summary>Whether this is one of the directives the specification defines.</summary>
    public bool IsSpecified => SpecifiedDirectives.Contains(this);

    public InputValueDefinition? GetArgument(string name) => Arguments.FirstOrDefault(a => a.Name == name);

    public override string ToString() => "@" + Name;

    /// <summary><c>@include(if: Boolean!)</c>.</summary>
    public static DirectiveDefinition Include { get; } = new(
        "include",
        [DirectiveLocation.FIELD, DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
        [new InputValueDefinition("if", ScalarType.Boolean.NonNull()) { Description = "Included when true." }],
        description: "Directs the executor to include this field or fragment only when the `if` argument is true.");

    /// <summary><c>@skip(if: Boolean!)</c>.</summary>
    public static DirectiveDefinition Skip { get; } = new(
        "skip",
        [DirectiveLocation.FIELD, DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
        [new InputValueDefinition("if", ScalarType.Boolean.NonNull()) { Description = "Skipped when true." }],
        description: "Directs the executor to skip this field or fragment when the `if` argument is true.");

    /// <summary><c>@deprecated(reason: String = "No longer supported")</c>.</summary>
    public static DirectiveDefinition Deprecated { get; } = new(
        "deprecated",
        [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.ARGUMENT_DEFINITION, DirectiveLocation.INPUT_FIELD_DEFINITION, DirectiveLocation.ENUM_VALUE],
        [new InputValueDefinition("reason", ScalarType.String)
        {
            DefaultValue = DefaultDeprecationReason,
            Description = "Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/).",
        }],
        description: "Marks an element of a GraphQL schema as no longer supported.");

    /// <summary><c>@specifiedBy(url: String!)</c>.</summary>
    public static DirectiveDefinition SpecifiedBy { get; } = new(
        "specifiedBy",
        [DirectiveLocation.SCALAR],
        [new InputValueDefinition("url", ScalarType.String.NonNull()) { Description = "The URL that specifies the behavior of this scalar." }],
        description: "Exposes a URL that specifies the behavior of this scalar.");

    /// <summary><c>@oneOf</c>.</summary>
    public static DirectiveDefinition OneOf { get; } = new(
        "oneOf",
        [DirectiveLocation.INPUT_OBJECT],
        description: "Indicates exactly one field must be supplied and this field must not be `null`.");

    /// <summary>The directives every schema has, in graphql-js's order.</summary>
    public static IReadOnlyList<DirectiveDefinition> SpecifiedDirectives { get; } = [Include, Skip, Deprecated, SpecifiedBy, OneOf];
}
