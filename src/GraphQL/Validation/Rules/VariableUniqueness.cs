using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.8.1 Variable Uniqueness: an operation defines each variable once (graphql-js UniqueVariableNamesRule).</summary>
public sealed class VariableUniqueness(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.OperationDefinition;

    public override VisitAction Enter(Node node)
    {
        if (node is not OperationDefinitionNode operation) return VisitAction.Continue;
        var definitions = operation.VariableDefinitions;
        for (var i = 0; i < definitions.Count; i++)
        {
            var name = definitions[i].Variable.Name.Value;
            var isFirst = true;
            for (var j = 0; j < i && isFirst; j++) isFirst = definitions[j].Variable.Name.Value != name;
            if (!isFirst) continue;

            List<Node?>? duplicates = null;
            for (var j = i + 1; j < definitions.Count; j++)
                if (definitions[j].Variable.Name.Value == name) (duplicates ??= [definitions[i].Variable.Name]).Add(definitions[j].Variable.Name);
            if (duplicates is not null) Context.ReportError($"There can be only one variable named \"${name}\".", [.. duplicates]);
        }
        return VisitAction.Continue;
    }
}
