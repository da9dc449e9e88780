using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.3.1 Field Selections: each selected field is defined on the type it is selected on (graphql-js FieldsOnCorrectTypeRule).</summary>
public sealed class FieldSelections(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Field;

    public override VisitAction Enter(Node node)
    {
        if (node is FieldNode field && Context.TypeInfo.FieldDefinition is null && Context.TypeInfo.ParentType is { } parentType)
        {
            var fieldName = field.Name.Value;
            // Pointing at the concrete types that have the field helps more than near-miss field names.
            var hint = Context.DidYouMean(SuggestedTypeNames(parentType, fieldName), "to use an inline fragment on");
            if (hint.Length == 0) hint = Context.DidYouMean(SuggestedFieldNames(parentType, fieldName));
            Context.ReportError($"Cannot query field \"{fieldName}\" on type \"{parentType.Name}\".{hint}", field);
        }
        return VisitAction.Continue;
    }

    // The object types and interfaces within an abstract type that define the field, most useful first.
    private List<string> SuggestedTypeNames(NamedType type, string fieldName)
    {
        if (!type.IsAbstractType) return [];
        var schema = Context.Schema;
        var usageCount = new Dictionary<ComplexType, int>();
        foreach (var possibleType in schema.GetPossibleTypes(type))
        {
            if (possibleType.GetField(fieldName) is null) continue;
            usageCount.TryAdd(possibleType, 1);
            foreach (var iface in possibleType.Interfaces)
            {
                if (iface.GetField(fieldName) is null) continue;
                usageCount[iface] = usageCount.GetValueOrDefault(iface) + 1;
            }
        }
        var suggested = new List<ComplexType>(usageCount.Keys);
        suggested.Sort((a, b) =>
        {
            var byUsage = usageCount[b] - usageCount[a];
            if (byUsage != 0) return byUsage;
            if (a is InterfaceType && schema.IsSubType(a, b)) return -1;
            if (b is InterfaceType && schema.IsSubType(b, a)) return 1;
            return string.CompareOrdinal(a.Name, b.Name);
        });
        return suggested.ConvertAll(t => t.Name);
    }

    private static List<string> SuggestedFieldNames(NamedType type, string fieldName) =>
        type is ComplexType complex ? Suggestions.For(fieldName, complex.Fields.Keys) : [];
}
