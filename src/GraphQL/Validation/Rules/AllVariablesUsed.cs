using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.8.4 All Variables Used: every variable an operation defines is used by it, directly or in the fragments it
/// spreads (graphql-js NoUnusedVariablesRule).
/// </summary>
public sealed class AllVariablesUsed(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Document;

    // On leaving the document the walk has recorded the variable usages of every operation and fragment.
    public override void Leave(Node node)
    {
        if (node is not DocumentNode document) return;
        foreach (var definition in document.Definitions)
            if (definition is OperationDefinitionNode operation) Check(operation);
    }

    private void Check(OperationDefinitionNode operation)
    {
        if (operation.VariableDefinitions.Count == 0) return;
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
    }
}
