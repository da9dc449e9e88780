using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.8.4 All Variables Used: every variable an operation defines is used by it, directly or in the fragments it
/// spreads (graphql-js NoUnusedVariablesRule).
/// </summary>
public sealed class AllVariablesUsed(ValidationContext context) : ValidationRule(context)
{
    public override VisitAction Enter(Node node)
    {
        if (node is not OperationDefinitionNode operation) return node is DocumentNode ? VisitAction.Continue : VisitAction.Skip;
        if (operation.VariableDefinitions.Count == 0) return VisitAction.Skip;
        var used = new HashSet<string>();
        foreach (var usage in Context.GetRecursiveVariableUsages(operation)) used.Add(usage.Node.Name.Value);
        foreach (var definition in operation.VariableDefinitions)
        {
            var name = definition.Variable.Name.Value;
            if (used.Contains(name)) continue;
            Context.ReportError(
                operation.Name is { } operationName
                    ? $"Variable \"${name}\" is never used in operation \"{operationName.Value}\"."
                    : $"Variable \"${name}\" is never used.",
                definition);
        }
        return VisitAction.Skip;
    }
}
