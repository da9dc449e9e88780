using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.7.3 Directives Are Unique per Location: a non-repeatable directive is used at most once on a node; a type's
/// definition and its extensions count as one location (graphql-js UniqueDirectivesPerLocationRule).
/// </summary>
public sealed class DirectivesAreUniquePerLocation(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.OperationDefinition | NodeKinds.VariableDefinition | NodeKinds.Field | NodeKinds.FragmentSpread
        | NodeKinds.InlineFragment | NodeKinds.FragmentDefinition | NodeKinds.TypeSystem;

    private readonly Dictionary<string, Dictionary<string, DirectiveNode>> _seenByTypeName = [];
    private readonly Dictionary<string, DirectiveNode> _seenOnSchema = [];

    public override VisitAction Enter(Node node)
    {
        if (DirectiveHolders.DirectivesOf(node) is not { Count: > 0 } directives) return VisitAction.Continue;
        var seen = node switch
        {
            SchemaDefinitionNode or SchemaExtensionNode => _seenOnSchema,
            TypeDefinitionNode type => SeenOnType(type.Name.Value),
            TypeExtensionNode extension => SeenOnType(extension.Name.Value),
            _ => directives.Count > 1 ? new Dictionary<string, DirectiveNode>() : null,
        };
        if (seen is null) return VisitAction.Continue;

        foreach (var directive in directives)
        {
            var name = directive.Name.Value;
            // Unknown directives are another rule's error; repeatable ones may repeat.
            if (Context.Schema.GetDirective(name) is not { IsRepeatable: false }) continue;
            if (seen.TryGetValue(name, out var first))
                Context.ReportError($"The directive \"@{name}\" can only be used once at this location.", first, directive);
            else
                seen[name] = directive;
        }
        return VisitAction.Continue;
    }

    private Dictionary<string, DirectiveNode> SeenOnType(string typeName)
    {
        if (!_seenByTypeName.TryGetValue(typeName, out var seen)) _seenByTypeName[typeName] = seen = [];
        return seen;
    }
}
