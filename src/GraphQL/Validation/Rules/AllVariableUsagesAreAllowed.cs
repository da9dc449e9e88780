using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Rules;

/// <summary>
/// 5.8.5 All Variable Usages Are Allowed: each variable's type fits the position it is used in (a nullable variable
/// may fill a non-null position only when it or the position has a default), and a variable giving the field of a
/// <c>@oneOf</c> input object is non-null (graphql-js VariablesInAllowedPositionRule).
/// </summary>
public sealed class AllVariableUsagesAreAllowed(ValidationContext context) : ValidationRule(context)
{
    public override NodeKinds Visits => NodeKinds.Document;

    // On leaving the document the walk has recorded the variable usages of every operation and fragment.
    public override void Leave(Node node)
    {
        if (node is not DocumentNode document) return;
        foreach (var definition in document.Definitions)
            if (definition is OperationDefinitionNode operation) Check(operation);
    }

    private void Check(OperationDefinitionNode operation)
    {
        if (operation.VariableDefinitions.Count == 0) return;
        var schema = Context.Schema;
        foreach (var usage in Context.GetRecursiveVariableUsages(operation))
        {
            if (usage.Type is not { } locationType || FindDefinition(operation, usage.Node.Name.Value) is not { } definition) continue;
            if (TypeInfo.TypeFromAst(schema, definition.Type) is not { } variableType) continue;
            var name = usage.Node.Name.Value;
            if (!IsAllowed(variableType, definition.DefaultValue, locationType, usage.HasLocationDefaultValue))
                Context.ReportError(
                    $"Variable \"${name}\" of type \"{variableType}\" used in position expecting type \"{locationType}\".", definition, usage.Node);
            if (usage.ParentType is InputObjectType { IsOneOf: true } oneOf && variableType is not NonNullType)
                Context.ReportError(
                    $"Variable \"${name}\" is of type \"{variableType}\" but must be non-nullable to be used for OneOf Input Object \"{oneOf.Name}\".",
                    definition, usage.Node);
        }
    }

    private bool IsAllowed(GraphQLType variableType, ValueNode? variableDefault, GraphQLType locationType, bool locationHasDefault)
    {
        if (locationType is NonNullType nonNullLocation && variableType is not NonNullType)
        {
            var hasNonNullVariableDefault = variableDefault is not null and not NullValueNode;
            if (!hasNonNullVariableDefault && !locationHasDefault) return false;
            return TypeComparators.IsTypeSubTypeOf(Context.Schema, variableType, nonNullLocation.OfType);
        }
        return TypeComparators.IsTypeSubTypeOf(Context.Schema, variableType, locationType);
    }

    private static VariableDefinitionNode? FindDefinition(OperationDefinitionNode operation, string name)
    {
        foreach (var definition in operation.VariableDefinitions)
            if (definition.Variable.Name.Value == name) return definition;
        return null;
    }
}
