using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.2.4.1 Single Root Field: a subscription selects exactly one root field, not an introspection field, and
/// without <c>@skip</c> or <c>@include</c> at the top level (graphql-js SingleFieldSubscriptionsRule).
/// </summary>
public sealed class SingleRootField(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.OperationDefinition;

    public override VisitAction Enter(Node node)
    {
        if (node is not OperationDefinitionNode operation) return VisitAction.Continue;
        if (operation.Operation != OperationType.Subscription || Context.Schema.Subscription is not { } subscriptionType) return VisitAction.Skip;

        var subject = operation.Name is { } name ? $"Subscription \"{name.Value}\"" : "Anonymous Subscription";
        var fieldGroups = new OrderedDictionary<string, List<FieldNode>>();
        var forbiddenDirectives = new List<Node?>();
        CollectFields(subscriptionType, operation.SelectionSet, fieldGroups, forbiddenDirectives, []);

        if (forbiddenDirectives.Count > 0)
        {
            Context.ReportError($"{subject} must not use `@skip` or `@include` directives in the top level selection.", [.. forbiddenDirectives]);
            return VisitAction.Skip;
        }
        if (fieldGroups.Count > 1)
        {
            var extraFields = new List<Node?>();
            for (var i = 1; i < fieldGroups.Count; i++) extraFields.AddRange(fieldGroups.GetAt(i).Value);
            Context.ReportError($"{subject} must select only one top level field.", [.. extraFields]);
        }
        foreach (var fields in fieldGroups.Values)
        {
            if (fields[0].Name.Value.StartsWith("__", StringComparison.Ordinal))
                Context.ReportError($"{subject} must not select an introspection top level field.", [.. fields]);
        }
        return VisitAction.Skip;
    }

    // The root fields as execution would collect them (spec CollectFields), except that @skip and @include are
    // recorded as forbidden rather than evaluated: variables are not known during validation.
    private void CollectFields(
        ObjectType rootType,
        SelectionSetNode selectionSet,
        OrderedDictionary<string, List<FieldNode>> fieldGroups,
        List<Node?> forbiddenDirectives,
        HashSet<string> visitedFragments)
    {
        foreach (var selection in selectionSet.Selections)
        {
            foreach (var directive in selection.Directives)
                if (directive.Name.Value is "skip" or "include") forbiddenDirectives.Add(directive);
            switch (selection)
            {
                case FieldNode field:
                    if (!fieldGroups.TryGetValue(field.ResponseKey, out var group)) fieldGroups.Add(field.ResponseKey, group = []);
                    group.Add(field);
                    break;
                case InlineFragmentNode inline:
                    if (AppliesTo(inline.TypeCondition, rootType))
                        CollectFields(rootType, inline.SelectionSet, fieldGroups, forbiddenDirectives, visitedFragments);
                    break;
                case FragmentSpreadNode spread:
                    if (!visitedFragments.Add(spread.Name.Value)) break;
                    if (Context.GetFragment(spread.Name.Value) is { } fragment && AppliesTo(fragment.TypeCondition, rootType))
                        CollectFields(rootType, fragment.SelectionSet, fieldGroups, forbiddenDirectives, visitedFragments);
                    break;
            }
        }
    }

    private bool AppliesTo(NamedTypeNode? typeCondition, ObjectType rootType)
    {
        if (typeCondition is null) return true;
        var conditionType = TypeInfo.GetNamedType(Context.Schema, typeCondition.Name.Value);
        return ReferenceEquals(conditionType, rootType)
            || conditionType is { IsAbstractType: true } && Context.Schema.IsSubType(conditionType, rootType);
    }
}
