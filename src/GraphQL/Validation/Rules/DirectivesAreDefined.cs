using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.7.1 Directives Are Defined: each directive used is defined by the schema or the document (graphql-js KnownDirectivesRule, in part).</summary>
public sealed class DirectivesAreDefined(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Document | NodeKinds.Directive;

    private readonly HashSet<string> _definedInDocument = [];

    public override VisitAction Enter(Node node)
    {
        switch (node)
        {
            case DocumentNode document:
                foreach (var definition in document.Definitions)
                    if (definition is DirectiveDefinitionNode directiveDefinition) _definedInDocument.Add(directiveDefinition.Name.Value);
                break;
            case DirectiveNode directive:
                var name = directive.Name.Value;
                if (Context.Schema.GetDirective(name) is null && !_definedInDocument.Contains(name))
                    Context.ReportError($"Unknown directive \"@{name}\".", directive);
                return VisitAction.Skip;
        }
        return VisitAction.Continue;
    }
}
