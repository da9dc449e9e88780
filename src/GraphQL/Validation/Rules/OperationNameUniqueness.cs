using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.2.2.1 Operation Name Uniqueness (graphql-js UniqueOperationNamesRule).</summary>
public sealed class OperationNameUniqueness(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.OperationDefinition;

    private readonly Dictionary<string, NameNode> _known = [];

    public override VisitAction Enter(Node node)
    {
        if (node is OperationDefinitionNode { Name: { } name })
        {
            if (_known.TryGetValue(name.Value, out var first))
                Context.ReportError($"There can be only one operation named \"{name.Value}\".", first, name);
            else
                _known[name.Value] = name;
        }
        return VisitAction.Continue;
    }
}
