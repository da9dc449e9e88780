using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.4.1 Argument Names: each argument is defined by its field or directive (graphql-js KnownArgumentNamesRule).</summary>
public sealed class ArgumentNames(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Argument | NodeKinds.Directive;

    public override VisitAction Enter(Node node)
    {
        switch (node)
        {
            case DirectiveNode directive:
                // Unknown directives are another rule's error; their arguments are not checked.
                if (Context.Schema.GetDirective(directive.Name.Value) is not { } definition) return VisitAction.Skip;
                foreach (var argument in directive.Arguments)
                {
                    if (definition.GetArgument(argument.Name.Value) is not null) continue;
                    var hint = Context.DidYouMean(Suggestions.For(argument.Name.Value, definition.Arguments.Select(a => a.Name)));
                    Context.ReportError($"Unknown argument \"{argument.Name.Value}\" on directive \"@{directive.Name.Value}\".{hint}", argument);
                }
                return VisitAction.Skip;
            case ArgumentNode argument:
                var typeInfo = Context.TypeInfo;
                if (typeInfo.Argument is null && typeInfo.FieldDefinition is { } field && typeInfo.ParentType is { } parentType)
                {
                    var hint = Context.DidYouMean(Suggestions.For(argument.Name.Value, field.Arguments.Select(a => a.Name)));
                    Context.ReportError($"Unknown argument \"{argument.Name.Value}\" on field \"{parentType.Name}.{field.Name}\".{hint}", argument);
                }
                return VisitAction.Skip;
            default:
                return VisitAction.Continue;
        }
    }
}
