using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>Prints a schema as SDL exactly as graphql-js's printSchema does.</summary>
public static class SchemaPrinter
{
    /// <summary>
    /// The schema definition (only when it has a description or non-default root names), then the non-specified
    /// directives, then every type except the specified scalars and introspection types, separated by blank lines.
    /// </summary>
    public static string Print(Schema schema)
    {
        var parts = new List<string>();
        if (PrintSchemaDefinition(schema) is { } definition) parts.Add(definition);
        parts.AddRange(schema.Directives.Where(d => !d.IsSpecified).Select(PrintDirective));
        parts.AddRange(schema.Types.Values
            .Where(t => !(t is ScalarType { IsSpecified: true }) && !SchemaValidator.IntrospectionTypeNames.Contains(t.Name))
            .Select(PrintType));
        return string.Join("\n\n", parts);
    }

    /// <summary>One named type as SDL.</summary>
    public static string PrintType(NamedType type) => type switch
    {
        ScalarType scalar => PrintDescription(scalar.Description) + "scalar " + scalar.Name
            + (scalar.SpecifiedByUrl is null ? "" : $" @specifiedBy(url: {Printer.PrintString(scalar.SpecifiedByUrl)})"),
        ObjectType obj => PrintDescription(obj.Description) + "type " + obj.Name + PrintImplementedInterfaces(obj) + PrintFields(obj),
        InterfaceType iface => PrintDescription(iface.Description) + "interface " + iface.Name + PrintImplementedInterfaces(iface) + PrintFields(iface),
        UnionType union => PrintDescription(union.Description) + "union " + union.Name
            + (union.Types.Count > 0 ? " = " + string.Join(" | ", union.Types.Select(t => t.Name)) : ""),
        EnumType enumType => PrintDescription(enumType.Description) + "enum " + enumType.Name + PrintBlock(enumType.Values.Select((value, i) =>
            PrintDescription(value.Description, "  ", i == 0) + "  " + value.Name + PrintDeprecated(value.DeprecationReason))),
        InputObjectType input => PrintDescription(input.Description) + "input " + input.Name + (input.IsOneOf ? " @oneOf" : "")
            + PrintBlock(input.Fields.Values.Select((field, i) => PrintDescription(field.Description, "  ", i == 0) + "  " + PrintInputValue(field))),
        _ => throw new ArgumentException($"Unexpected type {type.GetType().Name}.", nameof(type)),
    };

    private static string? PrintSchemaDefinition(Schema schema)
    {
        if (schema.Description is null && IsSchemaOfCommonNames(schema)) return null;
        var operationTypes = new List<string>();
        if (schema.Query is { } query) operationTypes.Add("  query: " + query.Name);
        if (schema.Mutation is { } mutation) operationTypes.Add("  mutation: " + mutation.Name);
        if (schema.Subscription is { } subscription) operationTypes.Add("  subscription: " + subscription.Name);
        return PrintDescription(schema.Description) + "schema {\n" + string.Join("\n", operationTypes) + "\n}";
    }

    // The schema definition can be left out when the root types have their conventional names.
    private static bool IsSchemaOfCommonNames(Schema schema) =>
        schema.Query is null or { Name: "Query" }
        && schema.Mutation is null or { Name: "Mutation" }
        && schema.Subscription is null or { Name: "Subscription" };

    private static string PrintImplementedInterfaces(ComplexType type) =>
        type.Interfaces.Count > 0 ? " implements " + string.Join(" & ", type.Interfaces.Select(i => i.Name)) : "";

    private static string PrintFields(ComplexType type) =>
        PrintBlock(type.Fields.Values.Select((field, i) =>
            PrintDescription(field.Description, "  ", i == 0) + "  " + field.Name + PrintArguments(field.Arguments, "  ")
            + ": " + field.Type + PrintDeprecated(field.DeprecationReason)));

    private static string PrintBlock(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count > 0 ? " {\n" + string.Join("\n", list) + "\n}" : "";
    }

    private static string PrintArguments(IReadOnlyList<InputValueDefinition> arguments, string indentation = "")
    {
        if (arguments.Count == 0) return "";
        // Without descriptions, all arguments fit on one line.
        if (arguments.All(a => string.IsNullOrEmpty(a.Description)))
            return "(" + string.Join(", ", arguments.Select(PrintInputValue)) + ")";
        return "(\n" + string.Join("\n", arguments.Select((argument, i) =>
                PrintDescription(argument.Description, "  " + indentation, i == 0) + "  " + indentation + PrintInputValue(argument)))
            + "\n" + indentation + ")";
    }

    private static string PrintInputValue(InputValueDefinition value)
    {
        var declaration = value.Name + ": " + value.Type;
        // A default written in SDL prints as written (as graphql-js 17 does); a code-first one is turned into a literal.
        var defaultValue = value.AstNode?.DefaultValue
            ?? (value.HasDefaultValue ? ValueCoercion.AstFromValue(value.DefaultValue, value.Type) : null);
        if (defaultValue is not null) declaration += " = " + Printer.Print(defaultValue);
        return declaration + PrintDeprecated(value.DeprecationReason);
    }

    private static string PrintDirective(DirectiveDefinition directive) =>
        PrintDescription(directive.Description) + "directive @" + directive.Name + PrintArguments(directive.Arguments)
        + (directive.IsRepeatable ? " repeatable" : "") + " on " + string.Join(" | ", directive.Locations);

    private static string PrintDeprecated(string? reason) => reason switch
    {
        null => "",
        DirectiveDefinition.DefaultDeprecationReason => " @deprecated",
        _ => $" @deprecated(reason: {Printer.PrintString(reason)})",
    };

    private static string PrintDescription(string? description, string indentation = "", bool firstInBlock = true)
    {
        if (description is null) return "";
        var printed = BlockString.IsPrintable(description) ? BlockString.Print(description) : Printer.PrintString(description);
        var prefix = indentation.Length > 0 && !firstInBlock ? "\n" + indentation : indentation;
        return prefix + printed.Replace("\n", "\n" + indentation) + "\n";
    }
}
