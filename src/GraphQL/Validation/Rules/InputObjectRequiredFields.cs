using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.6.4 Input Object Required Fields: an input object value gives every non-null field that has no default
/// (graphql-js ValuesOfCorrectTypeRule, in part). Explicit nulls are Values of Correct Type's concern.
/// </summary>
public sealed class InputObjectRequiredFields(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Value;

    public override VisitAction Enter(Node node)
    {
        if (node is not ObjectValueNode obj || Context.TypeInfo.InputType?.Named is not InputObjectType inputObject) return VisitAction.Continue;
        foreach (var field in inputObject.Fields.Values)
        {
            if (field.Type is not NonNullType || field.HasDefaultValue || IsGiven(obj, field.Name)) continue;
            Context.ReportError(
                $"Expected value of type \"{inputObject.Name}\" to include required field \"{field.Name}\", found: {Printer.Print(obj)}.", obj);
        }
        return VisitAction.Continue;
    }

    private static bool IsGiven(ObjectValueNode obj, string name)
    {
        foreach (var field in obj.Fields)
            if (field.Name.Value == name) return true;
        return false;
    }
}
