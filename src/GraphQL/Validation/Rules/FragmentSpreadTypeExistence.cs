using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.5.1.2 Fragment Spread Type Existence: the type condition of a named or inline fragment names a type of the
/// schema (graphql-js KnownTypeNamesRule, for type conditions; <see cref="VariablesAreInputTypes"/> covers variable types).
/// </summary>
public sealed class FragmentSpreadTypeExistence(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.FragmentDefinition | NodeKinds.InlineFragment;

    public override VisitAction Enter(Node node)
    {
        var typeCondition = node switch
        {
            FragmentDefinitionNode fragment => fragment.TypeCondition,
            InlineFragmentNode inline => inline.TypeCondition,
            _ => null,
        };
        if (typeCondition is not null && TypeInfo.GetNamedType(Context.Schema, typeCondition.Name.Value) is null)
            ReportUnknownType(Context, typeCondition);
        return VisitAction.Continue;
    }

    /// <summary>"Unknown type "X"." with the names of the schema's types that come close.</summary>
    internal static void ReportUnknownType(ValidationContext context, NamedTypeNode typeNode)
    {
        var name = typeNode.Name.Value;
        var hint = context.DidYouMean(Suggestions.For(name, TypeInfo.NamedTypeNames(context.Schema)));
        context.ReportError($"Unknown type \"{name}\".{hint}", typeNode);
    }
}
