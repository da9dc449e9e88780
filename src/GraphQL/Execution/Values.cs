using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Execution;

/// <summary>
/// Input values of an operation (spec section 6.1.2 "Coercing Variable Values" and 6.4.1 "Coercing Field Arguments"),
/// worded as graphql-js's coerceVariableValues and getArgumentValues.
/// </summary>
public static class Values
{
    private static readonly IReadOnlyDictionary<string, object?> None = new Dictionary<string, object?>();

    /// <summary>The operation's variables coerced to their declared types; each bad variable gives one error located at its definition.</summary>
    public static IReadOnlyDictionary<string, object?> CoerceVariableValues(
        Schema schema,
        IReadOnlyList<VariableDefinitionNode> definitions,
        IReadOnlyDictionary<string, object?>? inputs,
        List<GraphQLError> errors)
    {
        if (definitions.Count == 0) return None;
        var coerced = new Dictionary<string, object?>();
        foreach (var definition in definitions)
        {
            var name = definition.Variable.Name.Value;
            var type = TypeFromAst(schema, definition.Type);
            if (type is null || !type.IsInputType)
            {
                errors.Add(VariableError(
                    $"Variable \"${name}\" expected value of type \"{Printer.Print(definition.Type)}\" which cannot be used as an input type.", definition));
                continue;
            }

            if (inputs is null || !inputs.TryGetValue(name, out var value))
            {
                if (definition.DefaultValue is not null)
                    coerced[name] = ValueCoercion.CoerceInputLiteral(definition.DefaultValue, type);
                else if (type is NonNullType)
                    errors.Add(VariableError($"Variable \"${name}\" of required type \"{type}\" was not provided.", definition));
                continue;
            }

            if (value is null && type is NonNullType)
            {
                errors.Add(VariableError($"Variable \"${name}\" of non-null type \"{type}\" must not be null.", definition));
                continue;
            }

            try
            {
                coerced[name] = ValueCoercion.CoerceInputValue(value, type, "$" + name);
            }
            catch (CoercionException e)
            {
                errors.Add(VariableError($"Variable \"${name}\" got invalid value {Inspect.Value(value)}; {e.Message}", definition));
            }
        }
        return coerced;
    }

    /// <summary>
    /// The arguments of a field or directive: literals coerced, variables substituted, defaults applied.
    /// Throws a <see cref="GraphQLError"/> located at the offending node.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> CoerceArgumentValues(
        IReadOnlyList<InputValueDefinition> definitions,
        IReadOnlyList<ArgumentNode> arguments,
        IReadOnlyDictionary<string, object?> variables,
        Node? parentNode)
    {
        if (definitions.Count == 0) return None;
        var coerced = new Dictionary<string, object?>(definitions.Count);
        foreach (var definition in definitions)
        {
            var name = definition.Name;
            var type = definition.Type;
            var argument = FindArgument(arguments, name);
            if (argument is null)
            {
                if (definition.HasDefaultValue) coerced[name] = definition.DefaultValue;
                else if (type is NonNullType)
                    throw new GraphQLError($"Argument \"{name}\" of required type \"{type}\" was not provided.", ErrorCodes.BadUserInput, [parentNode]);
                continue;
            }

            var valueNode = argument.Value;
            if (valueNode is VariableNode variable)
            {
                var variableName = variable.Name.Value;
                if (!variables.TryGetValue(variableName, out var variableValue))
                {
                    if (definition.HasDefaultValue) coerced[name] = definition.DefaultValue;
                    else if (type is NonNullType)
                        throw new GraphQLError(
                            $"Argument \"{name}\" of required type \"{type}\" was provided the variable \"${variableName}\" which was not provided a runtime value.",
                            ErrorCodes.BadUserInput, [valueNode]);
                    continue;
                }
                if (variableValue is null && type is NonNullType)
                    throw new GraphQLError($"Argument \"{name}\" of non-null type \"{type}\" must not be null.", ErrorCodes.BadUserInput, [valueNode]);
            }

            if (!ValueCoercion.TryCoerceInputLiteral(valueNode, type, variables, out var value))
                throw new GraphQLError($"Argument \"{name}\" has invalid value {Printer.Print(valueNode)}.", ErrorCodes.BadUserInput, [valueNode]);
            coerced[name] = value;
        }
        return coerced;
    }

    /// <summary>The type a type reference names, or null when the schema has no such type.</summary>
    public static GraphQLType? TypeFromAst(Schema schema, TypeNode node) => node switch
    {
        NamedTypeNode named => schema.GetType(named.Name.Value),
        ListTypeNode list => TypeFromAst(schema, list.Type)?.List(),
        NonNullTypeNode nonNull => TypeFromAst(schema, nonNull.Type)?.NonNull(),
        _ => throw new ArgumentException($"Unexpected type node {node.GetType().Name}.", nameof(node)),
    };

    private static ArgumentNode? FindArgument(IReadOnlyList<ArgumentNode> arguments, string name)
    {
        foreach (var argument in arguments)
            if (argument.Name.Value == name) return argument;
        return null;
    }

    private static GraphQLError VariableError(string message, VariableDefinitionNode definition) =>
        new(message, ErrorCodes.BadUserInput, [definition]);
}
