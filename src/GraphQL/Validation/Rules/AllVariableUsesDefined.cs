using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.8.3 All Variable Uses Defined: every variable an operation uses, directly or in the fragments it spreads, is
/// defined by that operation (graphql-js NoUndefinedVariablesRule).
/// </summary>
public sealed class AllVariableUsesDefined(ValidationContext context) : ValidationRule(context)
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
        var defined = new HashSet<string>();
        foreach (var definition in operation.VariableDefinitions) defined.Add(definition.Variable.Name.Value);
        foreach (var usage in Context.GetRecursiveVariableUsages(operation))
        {
            var name = usage.Node.Name.Value;
            if (defined.Contains(name)) continue;
            Context.ReportError(
                operation.Name is { } operationName
                    ? $"Variable \"${name}\" is not defined by operation \"{operationName.Value}\"."
                    : $"Variable \"${name}\" is not defined.",
                usage.Node, operation);
        }
    }
}
