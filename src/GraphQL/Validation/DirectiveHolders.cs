using Records.GraphQL.Language;

namespace Records.GraphQL.Validation;

// The nodes that can carry directives, and the location each stands for (spec section 3.13).
internal static class DirectiveHolders
{
    /// <summary>The directives written on <paramref name="node"/>, or null when it cannot carry any.</summary>
    public static IReadOnlyList<DirectiveNode>? DirectivesOf(Node node) => node switch
    {
        ExecutableDefinitionNode definition => definition.Directives,
        SelectionNode selection => selection.Directives,
        VariableDefinitionNode variable => variable.Directives,
        TypeSystemDefinitionNode typeSystem => typeSystem.Directives,
        FieldDefinitionNode field => field.Directives,
        InputValueDefinitionNode inputValue => inputValue.Directives,
        EnumValueDefinitionNode enumValue => enumValue.Directives,
        _ => null,
    };

    /// <summary>The location of a directive written on <paramref name="holder"/>, whose own parent is <paramref name="grandParent"/>.</summary>
    public static DirectiveLocation? LocationOf(Node holder, Node? grandParent) => holder switch
    {
        OperationDefinitionNode operation => operation.Operation switch
        {
            OperationType.Query => DirectiveLocation.QUERY,
            OperationType.Mutation => DirectiveLocation.MUTATION,
            _ => DirectiveLocation.SUBSCRIPTION,
        },
        FieldNode => DirectiveLocation.FIELD,
        FragmentSpreadNode => DirectiveLocation.FRAGMENT_SPREAD,
        InlineFragmentNode => DirectiveLocation.INLINE_FRAGMENT,
        FragmentDefinitionNode => DirectiveLocation.FRAGMENT_DEFINITION,
        VariableDefinitionNode => DirectiveLocation.VARIABLE_DEFINITION,
        SchemaDefinitionNode or SchemaExtensionNode => DirectiveLocation.SCHEMA,
        ScalarTypeDefinitionNode or ScalarTypeExtensionNode => DirectiveLocation.SCALAR,
        ObjectTypeDefinitionNode or ObjectTypeExtensionNode => DirectiveLocation.OBJECT,
        FieldDefinitionNode => DirectiveLocation.FIELD_DEFINITION,
        InterfaceTypeDefinitionNode or InterfaceTypeExtensionNode => DirectiveLocation.INTERFACE,
        UnionTypeDefinitionNode or UnionTypeExtensionNode => DirectiveLocation.UNION,
        EnumTypeDefinitionNode or EnumTypeExtensionNode => DirectiveLocation.ENUM,
        EnumValueDefinitionNode => DirectiveLocation.ENUM_VALUE,
        InputObjectTypeDefinitionNode or InputObjectTypeExtensionNode => DirectiveLocation.INPUT_OBJECT,
        InputValueDefinitionNode => grandParent is InputObjectTypeDefinitionNode or InputObjectTypeExtensionNode
            ? DirectiveLocation.INPUT_FIELD_DEFINITION
            : DirectiveLocation.ARGUMENT_DEFINITION,
        _ => null,
    };
}
