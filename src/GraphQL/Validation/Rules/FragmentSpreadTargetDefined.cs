using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.5.2.1 Fragment Spread Target Defined: each spread names a fragment of the document (graphql-js KnownFragmentNamesRule).</summary>
public sealed class FragmentSpreadTargetDefined(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.FragmentSpread;

    public override VisitAction Enter(Node node)
    {
        if (node is FragmentSpreadNode spread && Context.GetFragment(spread.Name.Value) is null)
            Context.ReportError($"Unknown fragment \"{spread.Name.Value}\".", spread.Name);
        return VisitAction.Continue;
    }
}
