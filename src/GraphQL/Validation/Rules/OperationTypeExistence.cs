using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.2.1.1 Operation Type Existence: the schema has a root type for each operation's type (graphql-js KnownOperationTypesRule).</summary>
public sealed class OperationTypeExistence(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.OperationDefinition;

    public override VisitAction Enter(Node node)
    {
        if (node is OperationDefinitionNode operation && Context.Schema.GetRootType(operation.Operation) is null)
            Context.ReportError($"The {Printer.OperationName(operation.Operation)} operation is not supported by the schema.", operation);
        return VisitAction.Continue;
    }
}
