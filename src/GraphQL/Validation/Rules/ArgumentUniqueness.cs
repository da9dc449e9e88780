using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.4.2 Argument Uniqueness: a field or directive gets each argument once (graphql-js UniqueArgumentNamesRule).</summary>
public sealed class ArgumentUniqueness(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Field | NodeKinds.Directive;

    public override VisitAction Enter(Node node)
    {
        var arguments = node switch
        {
            FieldNode field => field.Arguments,
            DirectiveNode directive => directive.Arguments,
            _ => null,
        };
        if (arguments is { Count: > 1 }) ReportDuplicates(arguments);
        return VisitAction.Continue;
    }

    private void ReportDuplicates(IReadOnlyList<ArgumentNode> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var name = arguments[i].Name.Value;
            var isFirst = true;
            for (var j = 0; j < i && isFirst; j++) isFirst = arguments[j].Name.Value != name;
            if (!isFirst) continue;

            List<Node?>? duplicates = null;
            for (var j = i + 1; j < arguments.Count; j++)
                if (arguments[j].Name.Value == name) (duplicates ??= [arguments[i].Name]).Add(arguments[j].Name);
            if (duplicates is not null) Context.ReportError($"There can be only one argument named \"{name}\".", [.. duplicates]);
        }
    }
}
