using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.6.1 Values of Correct Type: each literal can be coerced to the type expected where it is written; null is not
/// written where non-null is expected; a <c>@oneOf</c> input object gets exactly one non-null field
/// (graphql-js ValuesOfCorrectTypeRule). Unknown and missing input object fields are the next rules' errors.
/// </summary>
public sealed class ValuesOfCorrectType(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Value;

    public override VisitAction Enter(Node node)
    {
        var typeInfo = Context.TypeInfo;
        switch (node)
        {
            case ListValueNode list:
                // TypeInfo has already stepped into the item type; the list itself is checked against its location.
                if (typeInfo.ParentInputType?.Nullable is ListType) return VisitAction.Continue;
                CheckLeafOrObject(list);
                return VisitAction.Skip;
            case ObjectValueNode obj:
                if (typeInfo.InputType?.Named is not InputObjectType inputObject)
                {
                    CheckLeafOrObject(obj);
                    return VisitAction.Skip;
                }
                if (inputObject.IsOneOf && (obj.Fields.Count != 1 || obj.Fields[0].Value is NullValueNode))
                    Context.ReportError(
                        $"Within OneOf Input Object type \"{inputObject.Name}\", exactly one field must be specified, and the value for that field must be non-null.",
                        obj);
                return VisitAction.Continue;
            case NullValueNode:
                if (typeInfo.InputType is NonNullType nonNull)
                    Context.ReportError($"Expected value of non-null type \"{nonNull}\" not to be null.", node);
                return VisitAction.Continue;
            case EnumValueNode or IntValueNode or FloatValueNode or StringValueNode or BooleanValueNode:
                CheckLeafOrObject((ValueNode)node);
                return VisitAction.Continue;
            default:
                return VisitAction.Continue;
        }
    }

    // A literal that is not a list item nor an object field value of a matching input object: it must coerce to the leaf type.
    private void CheckLeafOrObject(ValueNode node)
    {
        if (Context.TypeInfo.InputType is not { } locationType) return;
        switch (locationType.Named)
        {
            case InputObjectType inputObject:
                Context.ReportError($"Expected value of type \"{inputObject.Name}\" to be an object, found: {Printer.Print(node)}.", node);
                break;
            case EnumType enumType:
                CheckEnum(enumType, node);
                break;
            case ScalarType scalar:
                try
                {
                    scalar.ParseLiteral(node);
                }
                catch (CoercionException coercion)
                {
                    Context.ReportError(coercion.Message, node);
                }
                catch (Exception other)
                {
                    // A custom scalar's parser may fail in its own way (graphql-js catches any error too): the literal is invalid.
                    Context.ReportError($"Expected value of type \"{locationType}\", found {Printer.Print(node)}; {other.Message}", node);
                }
                break;
        }
    }

    private void CheckEnum(EnumType enumType, ValueNode node)
    {
        if (node is EnumValueNode enumValue)
        {
            if (enumType.GetValue(enumValue.Value) is not null) return;
            Context.ReportError(
                $"Value \"{enumValue.Value}\" does not exist in \"{enumType.Name}\" enum.{EnumHint(enumType, enumValue.Value)}", node);
            return;
        }
        var hint = node is StringValueNode text ? EnumHint(enumType, text.Value) : "";
        Context.ReportError($"Enum \"{enumType.Name}\" cannot represent non-enum value: {Printer.Print(node)}.{hint}", node);
    }

    private string EnumHint(EnumType enumType, string written) =>
        Context.DidYouMean(Suggestions.For(written, enumType.Values.Select(v => v.Name)), "the enum value");
}
