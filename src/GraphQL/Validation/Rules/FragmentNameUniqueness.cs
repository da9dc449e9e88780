using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.5.1.1 Fragment Name Uniqueness (graphql-js UniqueFragmentNamesRule).</summary>
public sealed class FragmentNameUniqueness(ValidationContext context) : ValidationRule(context)
{
    private readonly Dictionary<string, NameNode> _known = [];

    public override VisitAction Enter(Node node)
    {
        switch (node)
        {
            case FragmentDefinitionNode fragment:
                var name = fragment.Name;
                if (_known.TryGetValue(name.Value, out var first))
                    Context.ReportError($"There can be only one fragment named \"{name.Value}\".", first, name);
                else
                    _known[name.Value] = name;
                return VisitAction.Skip;
            case ExecutableDefinitionNode:
                return VisitAction.Skip;
            default:
                return VisitAction.Continue;
        }
    }
}
