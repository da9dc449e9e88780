using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.1.1 Executable Definitions: a request holds only operations and fragments (graphql-js ExecutableDefinitionsRule).</summary>
public sealed class ExecutableDefinitions(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Document;

    public override VisitAction Enter(Node node)
    {
        if (node is not DocumentNode document) return VisitAction.Continue;
        foreach (var definition in document.Definitions)
        {
            if (definition is ExecutableDefinitionNode) continue;
            var name = definition switch
            {
                SchemaDefinitionNode or SchemaExtensionNode => "schema",
                TypeDefinitionNode type => "\"" + type.Name.Value + "\"",
                TypeExtensionNode extension => "\"" + extension.Name.Value + "\"",
                DirectiveDefinitionNode directive => "\"" + directive.Name.Value + "\"",
                _ => "unknown",
            };
            Context.ReportError($"The {name} definition is not executable.", definition);
        }
        return VisitAction.Skip;
    }
}
