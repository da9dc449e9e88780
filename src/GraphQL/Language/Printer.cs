using System.Text;

namespace Records.GraphQL.Language;

/// <summary>Prints any node back to GraphQL text in graphql-js's canonical format (two-space indents, 80-column argument wrapping).</summary>
public static class Printer
{
    private const int MaxLineLength = 80;

    public static string Print(Node node) => node switch
    {
        NameNode n => n.Value,
        VariableNode n => "$" + n.Name.Value,
        DocumentNode n => Join(n.Definitions.Select(Print), "\n\n"),
        OperationDefinitionNode n => PrintOperation(n),
        VariableDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + Print(n.Variable) + ": " + Print(n.Type) + Wrap(" = ", Opt(n.DefaultValue)) + Wrap(" ", Directives(n.Directives)),
        SelectionSetNode n => Block(n.Selections.Select(Print)),
        FieldNode n => PrintField(n),
        ArgumentNode n => n.Name.Value + ": " + Print(n.Value),
        FragmentSpreadNode n => "..." + n.Name.Value + Wrap(" ", Directives(n.Directives)),
        InlineFragmentNode n => Join(["...", Wrap("on ", Opt(n.TypeCondition)), Directives(n.Directives), Print(n.SelectionSet)], " "),
        FragmentDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + $"fragment {n.Name.Value} on {n.TypeCondition.Name.Value} " + Wrap("", Directives(n.Directives), " ") + Print(n.SelectionSet),
        IntValueNode n => n.Value,
        FloatValueNode n => n.Value,
        StringValueNode n => n.Block ? BlockString.Print(n.Value) : PrintString(n.Value),
        BooleanValueNode n => n.Value ? "true" : "false",
        NullValueNode => "null",
        EnumValueNode n => n.Value,
        ListValueNode n => "[" + Join(n.Values.Select(Print), ", ") + "]",
        ObjectValueNode n => "{" + Join(n.Fields.Select(Print), ", ") + "}",
        ObjectFieldNode n => n.Name.Value + ": " + Print(n.Value),
        DirectiveNode n => "@" + n.Name.Value + Wrap("(", Join(n.Arguments.Select(Print), ", "), ")"),
        NamedTypeNode n => n.Name.Value,
        ListTypeNode n => "[" + Print(n.Type) + "]",
        NonNullTypeNode n => Print(n.Type) + "!",
        SchemaDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + Join(["schema", Directives(n.Directives), Block(n.OperationTypes.Select(Print))], " "),
        OperationTypeDefinitionNode n => OperationName(n.Operation) + ": " + Print(n.Type),
        ScalarTypeDefinitionNode n => Wrap("", Desc(n.Description), "\n") + Join(["scalar", n.Name.Value, Directives(n.Directives)], " "),
        ObjectTypeDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + Join(["type", n.Name.Value, Interfaces(n.Interfaces), Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        FieldDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + n.Name.Value + ArgumentDefinitions(n.Arguments) + ": " + Print(n.Type) + Wrap(" ", Directives(n.Directives)),
        InputValueDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + Join([n.Name.Value + ": " + Print(n.Type), Wrap("= ", Opt(n.DefaultValue)), Directives(n.Directives)], " "),
        InterfaceTypeDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + Join(["interface", n.Name.Value, Interfaces(n.Interfaces), Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        UnionTypeDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + Join(["union", n.Name.Value, Directives(n.Directives), Wrap("= ", Join(n.Types.Select(Print), " | "))], " "),
        EnumTypeDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + Join(["enum", n.Name.Value, Directives(n.Directives), Block(n.Values.Select(Print))], " "),
        EnumValueDefinitionNode n => Wrap("", Desc(n.Description), "\n") + Join([n.Name.Value, Directives(n.Directives)], " "),
        InputObjectTypeDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + Join(["input", n.Name.Value, Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        DirectiveDefinitionNode n => Wrap("", Desc(n.Description), "\n")
            + "directive @" + n.Name.Value + ArgumentDefinitions(n.Arguments) + (n.Repeatable ? " repeatable" : "")
            + " on " + Join(n.Locations.Select(Print), " | "),
        SchemaExtensionNode n => Join(["extend schema", Directives(n.Directives), Block(n.OperationTypes.Select(Print))], " "),
        ScalarTypeExtensionNode n => Join(["extend scalar", n.Name.Value, Directives(n.Directives)], " "),
        ObjectTypeExtensionNode n =>
            Join(["extend type", n.Name.Value, Interfaces(n.Interfaces), Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        InterfaceTypeExtensionNode n =>
            Join(["extend interface", n.Name.Value, Interfaces(n.Interfaces), Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        UnionTypeExtensionNode n =>
            Join(["extend union", n.Name.Value, Directives(n.Directives), Wrap("= ", Join(n.Types.Select(Print), " | "))], " "),
        EnumTypeExtensionNode n => Join(["extend enum", n.Name.Value, Directives(n.Directives), Block(n.Values.Select(Print))], " "),
        InputObjectTypeExtensionNode n => Join(["extend input", n.Name.Value, Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        _ => throw new ArgumentException($"Cannot print node {node.GetType().Name}.", nameof(node)),
    };

    /// <summary>The keyword of an operation type: query, mutation or subscription.</summary>
    public static string OperationName(OperationType operation) => operation switch
    {
        OperationType.Query => "query",
        OperationType.Mutation => "mutation",
        OperationType.Subscription => "subscription",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>Prints a string value in double quotes, escaping like graphql-js (JSON-style, control characters as \u00XX).</summary>
    public static string PrintString(string value)
    {
        var result = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': result.Append("\\\""); break;
                case '\\': result.Append("\\\\"); break;
                case '\b': result.Append("\\b"); break;
                case '\f': result.Append("\\f"); break;
                case '\n': result.Append("\\n"); break;
                case '\r': result.Append("\\r"); break;
                case '\t': result.Append("\\t"); break;
                case < '\u0020' or (>= '\u007F' and <= '\u009F'):
                    result.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default: result.Append(c); break;
            }
        }
        return result.Append('"').ToString();
    }

    private static string PrintOperation(OperationDefinitionNode n)
    {
        // Described variables print one per line, like described arguments in SDL.
        var varDefs = ArgumentList(n.VariableDefinitions.Select(Print).ToList());
        var prefix = Join([OperationName(n.Operation), Join([Opt(n.Name), varDefs], ""), Directives(n.Directives)], " ");
        // Anonymous queries without variables, directives or description use the shorthand form.
        var body = (prefix == "query" && n.Description is null ? "" : prefix + " ") + Print(n.SelectionSet);
        return Wrap("", Desc(n.Description), "\n") + body;
    }

    private static string PrintField(FieldNode n)
    {
        var prefix = Wrap("", Opt(n.Alias), ": ") + n.Name.Value;
        var arguments = n.Arguments.Select(Print).ToList();
        var argsLine = prefix + Wrap("(", Join(arguments, ", "), ")");
        if (argsLine.Length > MaxLineLength) argsLine = prefix + Wrap("(\n", Indent(Join(arguments, "\n")), "\n)");
        return Join([argsLine, Directives(n.Directives), Opt(n.SelectionSet)], " ");
    }

    private static string ArgumentDefinitions(IReadOnlyList<InputValueDefinitionNode> arguments) =>
        ArgumentList(arguments.Select(Print).ToList());

    private static string ArgumentList(List<string> printed) =>
        printed.Any(a => a.Contains('\n'))
            ? Wrap("(\n", Indent(Join(printed, "\n")), "\n)")
            : Wrap("(", Join(printed, ", "), ")");

    private static string Interfaces(IReadOnlyList<NamedTypeNode> interfaces) => Wrap("implements ", Join(interfaces.Select(Print), " & "));

    private static string Directives(IReadOnlyList<DirectiveNode> directives) => Join(directives.Select(Print), " ");

    private static string Desc(StringValueNode? description) => Opt(description);

    private static string Opt(Node? node) => node is null ? "" : Print(node);

    private static string Join(IEnumerable<string> parts, string separator) => string.Join(separator, parts.Where(p => p.Length > 0));

    private static string Block(IEnumerable<string> items) => Wrap("{\n", Indent(Join(items, "\n")), "\n}");

    private static string Wrap(string start, string value, string end = "") => value.Length > 0 ? start + value + end : "";

    private static string Indent(string value) => Wrap("  ", value.Replace("\n", "\n  "));
}
