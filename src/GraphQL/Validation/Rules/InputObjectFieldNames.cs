using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Rules;

/// <summary>5.6.2 Input Object Field Names: each field of an input object value is defined by its type (graphql-js ValuesOfCorrectTypeRule, in part).</summary>
public sealed class InputObjectFieldNames(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Value;

    public override VisitAction Enter(Node node)
    {
        if (node is ObjectFieldNode field
            && Context.TypeInfo.ParentInputType?.Named is InputObjectType inputObject
            && !inputObject.Fields.ContainsKey(field.Name.Value))
        {
            var hint = Context.DidYouMean(Suggestions.For(field.Name.Value, inputObject.Fields.Keys));
            var found = Context.Walker.Parent is ObjectValueNode objectValue ? " Found: " + Printer.Print(objectValue) + "." : "";
            Context.ReportError(
                $"Expected value of type \"{inputObject.Name}\" not to include unknown field \"{field.Name.Value}\".{hint}{found}", field);
        }
        return VisitAction.Continue;
    }
}
