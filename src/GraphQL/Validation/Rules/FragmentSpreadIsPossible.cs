using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.5.2.3 Fragment Spread Is Possible: some object type can be both the parent type and the fragment's type
/// (graphql-js PossibleFragmentSpreadsRule).
/// </summary>
public sealed class FragmentSpreadIsPossible(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.FragmentSpread | NodeKinds.InlineFragment;

    public override VisitAction Enter(Node node)
    {
        switch (node)
        {
            case InlineFragmentNode inline:
                if (Context.TypeInfo.Type?.Named is { IsCompositeType: true } fragmentType
                    && Context.TypeInfo.ParentType is { IsCompositeType: true } parentType
                    && !TypeComparators.DoTypesOverlap(Context.Schema, fragmentType, parentType))
                    Context.ReportError(
                        $"Fragment cannot be spread here as objects of type \"{parentType}\" can never be of type \"{fragmentType}\".", inline);
                break;
            case FragmentSpreadNode spread:
                var name = spread.Name.Value;
                if (Context.GetFragment(name) is { } fragment
                    && TypeInfo.GetNamedType(Context.Schema, fragment.TypeCondition.Name.Value) is { IsCompositeType: true } spreadType
                    && Context.TypeInfo.ParentType is { IsCompositeType: true } spreadParentType
                    && !TypeComparators.DoTypesOverlap(Context.Schema, spreadType, spreadParentType))
                    Context.ReportError(
                        $"Fragment \"{name}\" cannot be spread here as objects of type \"{spreadParentType}\" can never be of type \"{spreadType}\".",
                        spread);
                break;
        }
        return VisitAction.Continue;
    }
}
