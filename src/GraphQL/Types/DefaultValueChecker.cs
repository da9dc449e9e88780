using Records.GraphQL.Language;
using Records.GraphQL.Validation;

namespace Records.GraphQL.Types;

/// <summary>
/// Why a default value does not coerce to its input type, as graphql-js 17's validateInputLiteral (defaults written
/// in SDL) and validateInputValue (code-first defaults, which are already coerced values) word it.
/// </summary>
internal static class DefaultValueChecker
{
    /// <summary>One reason, the literal it was found at (if any) and the path within the value (" at .a[0]" or "").</summary>
    public sealed record Problem(string Message, Node? Node, string Path);

    public static void CheckLiteral(ValueNode node, GraphQLType type, List<Problem> problems, string path = "")
    {
        if (type is NonNullType nonNull)
        {
            if (node is NullValueNode) problems.Add(new($"Expected value of non-null type \"{type}\" not to be null.", node, path));
            else CheckLiteral(node, nonNull.OfType, problems, path);
            return;
        }
        if (node is NullValueNode) return;
        switch (type)
        {
            case ListType list when node is ListValueNode items:
                for (var i = 0; i < items.Values.Count; i++) CheckLiteral(items.Values[i], list.OfType, problems, $"{path}[{i}]");
                break;
            case ListType list:
                CheckLiteral(node, list.OfType, problems, path);
                break;
            case InputObjectType input when node is not ObjectValueNode:
                problems.Add(new($"Expected value of type \"{input.Name}\" to be an object, found: {Printer.Print(node)}.", node, path));
                break;
            case InputObjectType input:
                CheckObjectLiteral((ObjectValueNode)node, input, problems, path);
                break;
            case ScalarType scalar:
                CheckLeaf(type, Printer.Print(node), problems, path, node, () => scalar.ParseLiteral(node));
                break;
            case EnumType enumType:
                CheckEnumLiteral(node, enumType, problems, path);
                break;
        }
    }

    private static void CheckObjectLiteral(ObjectValueNode node, InputObjectType input, List<Problem> problems, string path)
    {
        var printed = Printer.Print(node);
        foreach (var field in input.Fields.Values)
        {
            if (node.Fields.FirstOrDefault(f => f.Name.Value == field.Name) is { } given)
                CheckLiteral(given.Value, field.Type, problems, $"{path}.{field.Name}");
            else if (field.IsRequired)
                problems.Add(new($"Expected value of type \"{input.Name}\" to include required field \"{field.Name}\", found: {printed}.", node, path));
        }
        var known = new List<ObjectFieldNode>();
        foreach (var given in node.Fields)
        {
            if (input.Fields.ContainsKey(given.Name.Value))
            {
                known.Add(given);
                continue;
            }
            problems.Add(new(UnknownField(input, given.Name.Value, printed), given, path));
        }
        if (!input.IsOneOf) return;
        if (known.Count != 1) problems.Add(new(OneOfMessage(input), node, path));
        else if (known[0].Value is NullValueNode) problems.Add(new(OneOfMessage(input), node, $"{path}.{known[0].Name.Value}"));
    }

    // An enum literal names one of the values; a misspelt name or a string gets a hint, as in Values of Correct Type.
    private static void CheckEnumLiteral(ValueNode node, EnumType enumType, List<Problem> problems, string path)
    {
        try
        {
            enumType.ParseLiteral(node);
        }
        catch (CoercionException coercion)
        {
            var written = node switch { EnumValueNode e => e.Value, StringValueNode s => s.Value, _ => null };
            var hint = written is null ? "" : Suggestions.DidYouMean(Suggestions.For(written, enumType.Values.Select(v => v.Name)), "the enum value");
            problems.Add(new(coercion.Message + hint, node, path));
        }
    }

    public static void CheckValue(object? value, GraphQLType type, List<Problem> problems, string path = "")
    {
        if (type is NonNullType nonNull)
        {
            if (value is null) problems.Add(new($"Expected value of non-null type \"{type}\" not to be null.", null, path));
            else CheckValue(value, nonNull.OfType, problems, path);
            return;
        }
        if (value is null) return;
        switch (type)
        {
            case ListType list when value is System.Collections.IEnumerable items and not string and not IDictionary<string, object?>:
                var index = 0;
                foreach (var item in items) CheckValue(item, list.OfType, problems, $"{path}[{index++}]");
                break;
            case ListType list:
                CheckValue(value, list.OfType, problems, path);
                break;
            case InputObjectType input when value is not IReadOnlyDictionary<string, object?>:
                problems.Add(new($"Expected value of type \"{input.Name}\" to be an object, found: {Inspect.Value(value)}.", null, path));
                break;
            case InputObjectType input:
                CheckObjectValue((IReadOnlyDictionary<string, object?>)value, input, problems, path);
                break;
            case ScalarType scalar:
                CheckLeaf(type, Inspect.Value(value), problems, path, null, () => scalar.ParseValue(value));
                break;
            case EnumType enumType:
                // A code-first default is already coerced: an enum default is one of the enum's runtime values.
                CheckLeaf(type, Inspect.Value(value), problems, path, null, () => enumType.Serialize(value));
                break;
        }
    }

    private static void CheckObjectValue(IReadOnlyDictionary<string, object?> value, InputObjectType input, List<Problem> problems, string path)
    {
        var inspected = Inspect.Value(value);
        foreach (var field in input.Fields.Values)
        {
            if (value.TryGetValue(field.Name, out var given)) CheckValue(given, field.Type, problems, $"{path}.{field.Name}");
            else if (field.IsRequired)
                problems.Add(new($"Expected value of type \"{input.Name}\" to include required field \"{field.Name}\", found: {inspected}.", null, path));
        }
        foreach (var name in value.Keys.Where(k => !input.Fields.ContainsKey(k)))
            problems.Add(new(UnknownField(input, name, inspected), null, path));
        if (!input.IsOneOf) return;
        var known = value.Where(f => input.Fields.ContainsKey(f.Key)).ToList();
        if (known.Count != 1) problems.Add(new(OneOfMessage(input), null, path));
        else if (known[0].Value is null) problems.Add(new(OneOfMessage(input), null, $"{path}.{known[0].Key}"));
    }

    // A scalar or enum: its own coercion error is the reason; any other failure is wrapped as graphql-js wraps it.
    private static void CheckLeaf(GraphQLType type, string found, List<Problem> problems, string path, Node? node, Func<object?> coerce)
    {
        try
        {
            coerce();
        }
        catch (CoercionException coercion)
        {
            problems.Add(new(coercion.Message, node, path));
        }
        catch (Exception other)
        {
            problems.Add(new($"Expected value of type \"{type}\", but encountered error \"{other.Message}\"; found: {found}.", node, path));
        }
    }

    private static string UnknownField(InputObjectType input, string name, string found)
    {
        var suggestion = Suggestions.DidYouMean(Suggestions.For(name, input.Fields.Keys));
        return $"Expected value of type \"{input.Name}\" not to include unknown field \"{name}\"{(suggestion.Length > 0 ? $".{suggestion} Found" : ", found")}: {found}.";
    }

    private static string OneOfMessage(InputObjectType input) =>
        $"Within OneOf Input Object type \"{input.Name}\", exactly one field must be specified, and the value for that field must be non-null.";
}
