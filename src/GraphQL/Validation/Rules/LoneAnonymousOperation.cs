using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.2.3.1 Lone Anonymous Operation: an anonymous operation must be the document's only operation (graphql-js LoneAnonymousOperationRule).</summary>
public sealed class LoneAnonymousOperation(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Document | NodeKinds.OperationDefinition;

    private int _operationCount;

    public override VisitAction Enter(Node node)
    {
        switch (node)
        {
            case DocumentNode document:
                foreach (var definition in document.Definitions)
                    if (definition is OperationDefinitionNode) _operationCount++;
                return VisitAction.Continue;
            case OperationDefinitionNode operation:
                if (operation.Name is null && _operationCount > 1)
                    Context.ReportError("This anonymous operation must be the only defined operation.", operation);
                return VisitAction.Continue;
            default:
                return VisitAction.Continue;
        }
    }
}
