using Records.GraphQL.Language;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.3.3 Leaf Field Selections: fields of scalar and enum type have no selection set, and fields of object,
/// interface and union type have one (graphql-js ScalarLeafsRule).
/// </summary>
public sealed class LeafFieldSelections(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Field;

    public override VisitAction Enter(Node node)
    {
        if (node is not FieldNode field || Context.TypeInfo.Type is not { } type) return VisitAction.Continue;
        var fieldName = field.Name.Value;
        if (type.Named.IsLeafType)
        {
            if (field.SelectionSet is { } selectionSet)
                Context.ReportError($"Field \"{fieldName}\" must not have a selection since type \"{type}\" has no subfields.", selectionSet);
        }
        else if (field.SelectionSet is null)
        {
            Context.ReportError(
                $"Field \"{fieldName}\" of type \"{type}\" must have a selection of subfields. Did you mean \"{fieldName} {{ ... }}\"?", field);
        }
        return VisitAction.Continue;
    }
}
