using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.5.1.1 Fragment Name Uniqueness (graphql-js UniqueFragmentNamesRule).</summary>
public sealed class FragmentNameUniqueness(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.FragmentDefinition;

    private readonly Dictionary<string, NameNode> _known = [];

    public override VisitAction Enter(Node node)
    {
        if (node is FragmentDefinitionNode { Name: var name })
        {
            if (_known.TryGetValue(name.Value, out var first))
                Context.ReportError($"There can be only one fragment named \"{name.Value}\".", first, name);
            else
                _known[name.Value] = name;
        }
        return VisitAction.Continue;
    }
}
