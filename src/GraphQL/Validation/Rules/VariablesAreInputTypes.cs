using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.8.2 Variables Are Input Types: each variable's type is a known scalar, enum or input object type, possibly
/// wrapped (graphql-js VariablesAreInputTypesRule, and KnownTypeNamesRule for variable types).
/// </summary>
public sealed class VariablesAreInputTypes(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.VariableDefinition;

    public override VisitAction Enter(Node node)
    {
        if (node is not VariableDefinitionNode definition) return VisitAction.Continue;
        var namedTypeNode = NamedTypeOf(definition.Type);
        var type = TypeInfo.GetNamedType(Context.Schema, namedTypeNode.Name.Value);
        if (type is null)
            FragmentSpreadTypeExistence.ReportUnknownType(Context, namedTypeNode);
        else if (!type.IsInputType)
            Context.ReportError(
                $"Variable \"${definition.Variable.Name.Value}\" cannot be non-input type \"{Printer.Print(definition.Type)}\".",
                definition.Type);
        return VisitAction.Skip;
    }

    private static NamedTypeNode NamedTypeOf(TypeNode type) => type switch
    {
        ListTypeNode list => NamedTypeOf(list.Type),
        NonNullTypeNode nonNull => NamedTypeOf(nonNull.Type),
        _ => (NamedTypeNode)type,
    };
}
