using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.7.2 Directives Are in Valid Locations: each directive is used where its definition allows (graphql-js KnownDirectivesRule, in part).</summary>
public sealed class DirectivesAreInValidLocations(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Directive;

    public override VisitAction Enter(Node node)
    {
        if (node is not DirectiveNode directive) return VisitAction.Continue;
        var ancestors = Context.Walker.Ancestors;
        if (Context.Schema.GetDirective(directive.Name.Value) is { } definition
            && ancestors.Count > 0
            && DirectiveHolders.LocationOf(ancestors[^1], ancestors.Count > 1 ? ancestors[^2] : null) is { } location
            && !definition.Locations.Contains(location))
        {
            Context.ReportError($"Directive \"@{definition.Name}\" may not be used on {location}.", directive);
        }
        return VisitAction.Skip;
    }
}
