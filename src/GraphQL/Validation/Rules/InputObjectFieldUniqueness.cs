using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.6.3 Input Object Field Uniqueness: an input object value gives each field once (graphql-js UniqueInputFieldNamesRule).</summary>
public sealed class InputObjectFieldUniqueness(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Value;

    public override VisitAction Enter(Node node)
    {
        if (node is not ObjectValueNode { Fields.Count: > 1 } obj) return VisitAction.Continue;
        var fields = obj.Fields;
        for (var i = 1; i < fields.Count; i++)
        {
            var name = fields[i].Name.Value;
            for (var j = 0; j < i; j++)
            {
                if (fields[j].Name.Value != name) continue;
                // Each repetition is reported with the first occurrence.
                Context.ReportError($"There can be only one input field named \"{name}\".", fields[j].Name, fields[i].Name);
                break;
            }
        }
        return VisitAction.Continue;
    }
}
