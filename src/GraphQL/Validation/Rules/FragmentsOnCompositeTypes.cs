using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.5.1.3 Fragments On Composite Types: fragments condition on objects, interfaces or unions (graphql-js FragmentsOnCompositeTypesRule).</summary>
public sealed class FragmentsOnCompositeTypes(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.FragmentDefinition | NodeKinds.InlineFragment;

    public override VisitAction Enter(Node node)
    {
        switch (node)
        {
            case InlineFragmentNode { TypeCondition: { } condition } when IsNonComposite(condition):
                Context.ReportError($"Fragment cannot condition on non composite type \"{condition.Name.Value}\".", condition);
                break;
            case FragmentDefinitionNode fragment when IsNonComposite(fragment.TypeCondition):
                Context.ReportError(
                    $"Fragment \"{fragment.Name.Value}\" cannot condition on non composite type \"{fragment.TypeCondition.Name.Value}\".",
                    fragment.TypeCondition);
                break;
        }
        return VisitAction.Continue;
    }

    // Unknown types are reported by Fragment Spread Type Existence.
    private bool IsNonComposite(NamedTypeNode condition) =>
        TypeInfo.GetNamedType(Context.Schema, condition.Name.Value) is { IsCompositeType: false };
}
