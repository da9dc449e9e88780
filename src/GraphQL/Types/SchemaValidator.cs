using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>
/// The type-system validation rules of the specification (section 3), as graphql-js's validateSchema applies them.
/// Returns every error, each worded as graphql-js words it and pointing at the SDL nodes involved.
/// </summary>
public static class SchemaValidator
{
    public static IReadOnlyList<SchemaError> Validate(Schema schema)
    {
        var context = new Context(schema);
        ValidateRootTypes(context);
        ValidateDirectives(context);
        ValidateTypes(context);
        return context.Errors;
    }

    private sealed class Context(Schema schema)
    {
        public Schema Schema { get; } = schema;
        public List<SchemaError> Errors { get; } = [];

        public void Report(string message, params IEnumerable<Node?> nodes) =>
            Errors.Add(new SchemaError(message, nodes.OfType<Node>().ToArray()));
    }

    private static void ValidateRootTypes(Context context)
    {
        var schema = context.Schema;
        if (schema.Query is null) context.Report("Query root type must be provided.", schema.AstNode);

        var operations = new Dictionary<ObjectType, List<string>>();
        foreach (var (operation, root) in new[] { ("query", schema.Query), ("mutation", schema.Mutation), ("subscription", schema.Subscription) })
        {
            if (root is null) continue;
            if (!operations.TryGetValue(root, out var names)) operations[root] = names = [];
            names.Add(operation);
        }
        foreach (var (root, names) in operations)
        {
            if (names.Count > 1)
                context.Report(
                    $"All root types must be different, \"{root.Name}\" type is used as {string.Join(" and ", names)} root types.",
                    root.AstNode);
        }
    }

    private static void ValidateDirectives(Context context)
    {
        foreach (var directive in context.Schema.Directives)
        {
            ValidateName(context, directive.Name, directive.AstNode);
            if (directive.Locations.Count == 0)
                context.Report($"Directive @{directive.Name} must include 1 or more locations.", directive.AstNode);

            var seen = new HashSet<string>();
            foreach (var argument in directive.Arguments)
            {
                ValidateName(context, argument.Name, argument.AstNode);
                if (!seen.Add(argument.Name))
                    context.Report($"Argument \"@{directive.Name}({argument.Name}:)\" can only be defined once.",
                        directive.Arguments.Where(a => a.Name == argument.Name).Select(a => a.AstNode));
                if (!argument.Type.IsInputType)
                    context.Report($"The type of @{directive.Name}({argument.Name}:) must be Input Type but got: {argument.Type}.",
                        argument.AstNode?.Type);
                if (argument.IsRequired && argument.IsDeprecated)
                    context.Report($"Required argument @{directive.Name}({argument.Name}:) cannot be deprecated.",
                        DeprecatedDirective(argument.AstNode), argument.AstNode?.Type);
                ValidateDefaultValue(context, argument, $"@{directive.Name}({argument.Name}:)");
            }
        }
    }

    private static void ValidateTypes(Context context)
    {
        var inputCycles = new InputObjectCycleFinder(context);
        foreach (var type in context.Schema.Types.Values)
        {
            if (IsIntrospectionType(type)) continue;
            ValidateName(context, type.Name, type.AstNode);
            switch (type)
            {
                case ComplexType complex:
                    ValidateFields(context, complex);
                    ValidateInterfaces(context, complex);
                    break;
                case UnionType union:
                    ValidateUnionMembers(context, union);
                    break;
                case EnumType enumType:
                    ValidateEnumValues(context, enumType);
                    break;
                case InputObjectType input:
                    ValidateInputFields(context, input);
                    inputCycles.Check(input);
                    break;
            }
        }
    }

    private static void ValidateFields(Context context, ComplexType type)
    {
        if (type.Fields.Count == 0)
            context.Report($"Type {type.Name} must define one or more fields.", [type.AstNode, .. type.ExtensionAstNodes]);

        foreach (var field in type.Fields.Values)
        {
            ValidateName(context, field.Name, field.AstNode);
            if (!field.Type.IsOutputType)
                context.Report($"The type of {type.Name}.{field.Name} must be Output Type but got: {field.Type}.", field.AstNode?.Type);

            var seen = new HashSet<string>();
            foreach (var argument in field.Arguments)
            {
                ValidateName(context, argument.Name, argument.AstNode);
                if (!seen.Add(argument.Name))
                    context.Report($"Argument \"{type.Name}.{field.Name}({argument.Name}:)\" can only be defined once.",
                        field.Arguments.Where(a => a.Name == argument.Name).Select(a => a.AstNode));
                if (!argument.Type.IsInputType)
                    context.Report($"The type of {type.Name}.{field.Name}({argument.Name}:) must be Input Type but got: {argument.Type}.",
                        argument.AstNode?.Type);
                if (argument.IsRequired && argument.IsDeprecated)
                    context.Report($"Required argument {type.Name}.{field.Name}({argument.Name}:) cannot be deprecated.",
                        DeprecatedDirective(argument.AstNode), argument.AstNode?.Type);
                ValidateDefaultValue(context, argument, $"{type.Name}.{field.Name}({argument.Name}:)");
            }
        }
    }

    private static void ValidateInterfaces(Context context, ComplexType type)
    {
        var implemented = new HashSet<InterfaceType>();
        foreach (var iface in type.Interfaces)
        {
            if (ReferenceEquals(iface, type))
            {
                context.Report($"Type {type.Name} cannot implement itself because it would create a circular reference.",
                    ImplementsNodes(type, iface));
                continue;
            }
            if (!implemented.Add(iface))
            {
                context.Report($"Type {type.Name} can only implement {iface.Name} once.", ImplementsNodes(type, iface));
                continue;
            }
            ValidateTypeImplementsAncestors(context, type, iface);
            ValidateTypeImplementsInterface(context, type, iface);
        }
    }

    private static void ValidateTypeImplementsInterface(Context context, ComplexType type, InterfaceType iface)
    {
        foreach (var ifaceField in iface.Fields.Values)
        {
            var fieldName = ifaceField.Name;
            if (type.GetField(fieldName) is not { } typeField)
            {
                context.Report($"Interface field {iface.Name}.{fieldName} expected but {type.Name} does not provide it.",
                    [ifaceField.AstNode, type.AstNode, .. type.ExtensionAstNodes]);
                continue;
            }

            // Covariant field types: the implementation may narrow the interface's type.
            if (!TypeComparators.IsTypeSubTypeOf(context.Schema, typeField.Type, ifaceField.Type))
                context.Report(
                    $"Interface field {iface.Name}.{fieldName} expects type {ifaceField.Type} but {type.Name}.{fieldName} is type {typeField.Type}.",
                    ifaceField.AstNode?.Type, typeField.AstNode?.Type);

            // Arguments are invariant: each interface argument must exist with exactly the same type.
            foreach (var ifaceArg in ifaceField.Arguments)
            {
                if (typeField.GetArgument(ifaceArg.Name) is not { } typeArg)
                {
                    context.Report(
                        $"Interface field argument {iface.Name}.{fieldName}({ifaceArg.Name}:) expected but {type.Name}.{fieldName} does not provide it.",
                        ifaceArg.AstNode, typeField.AstNode);
                    continue;
                }
                if (!TypeComparators.IsEqualType(ifaceArg.Type, typeArg.Type))
                    context.Report(
                        $"Interface field argument {iface.Name}.{fieldName}({ifaceArg.Name}:) expects type {ifaceArg.Type} but {type.Name}.{fieldName}({ifaceArg.Name}:) is type {typeArg.Type}.",
                        ifaceArg.AstNode?.Type, typeArg.AstNode?.Type);
            }

            // Extra arguments must be optional, or queries written against the interface would break.
            foreach (var typeArg in typeField.Arguments)
            {
                if (typeArg.IsRequired && ifaceField.GetArgument(typeArg.Name) is null)
                    context.Report(
                        $"Object field argument {type.Name}.{fieldName}({typeArg.Name}:) is of required type {typeArg.Type} but is not also provided by the Interface field {iface.Name}.{fieldName}.",
                        typeArg.AstNode, ifaceField.AstNode);
            }
        }
    }

    // Interfaces are transitive: implementing I means also declaring every interface I implements.
    private static void ValidateTypeImplementsAncestors(Context context, ComplexType type, InterfaceType iface)
    {
        foreach (var transitive in iface.Interfaces)
        {
            if (type.Interfaces.Contains(transitive)) continue;
            context.Report(
                ReferenceEquals(transitive, type)
                    ? $"Type {type.Name} cannot implement {iface.Name} because it would create a circular reference."
                    : $"Type {type.Name} must implement {transitive.Name} because it is implemented by {iface.Name}.",
                [.. ImplementsNodes(iface, transitive), .. ImplementsNodes(type, iface)]);
        }
    }

    private static void ValidateUnionMembers(Context context, UnionType union)
    {
        if (union.Types.Count == 0)
            context.Report($"Union type {union.Name} must define one or more member types.", [union.AstNode, .. union.ExtensionAstNodes]);

        var included = new HashSet<ObjectType>();
        foreach (var member in union.Types)
        {
            if (!included.Add(member))
                context.Report($"Union type {union.Name} can only include type {member.Name} once.", UnionMemberNodes(union, member.Name));
        }
    }

    private static void ValidateEnumValues(Context context, EnumType enumType)
    {
        if (enumType.Values.Count == 0)
            context.Report($"Enum type {enumType.Name} must define one or more values.", [enumType.AstNode, .. enumType.ExtensionAstNodes]);

        foreach (var value in enumType.Values)
        {
            ValidateName(context, value.Name, value.AstNode);
            if (value.Name is "true" or "false" or "null")
                context.Report($"Enum type {enumType.Name} cannot include value: {value.Name}.", value.AstNode);
        }
    }

    private static void ValidateInputFields(Context context, InputObjectType input)
    {
        if (input.Fields.Count == 0)
            context.Report($"Input Object type {input.Name} must define one or more fields.", [input.AstNode, .. input.ExtensionAstNodes]);

        foreach (var field in input.Fields.Values)
        {
            ValidateName(context, field.Name, field.AstNode);
            if (!field.Type.IsInputType)
                context.Report($"The type of {input.Name}.{field.Name} must be Input Type but got: {field.Type}.", field.AstNode?.Type);
            if (field.IsRequired && field.IsDeprecated)
                context.Report($"Required input field {input.Name}.{field.Name} cannot be deprecated.",
                    DeprecatedDirective(field.AstNode), field.AstNode?.Type);
            ValidateDefaultValue(context, field, $"{input.Name}.{field.Name}");
            if (input.IsOneOf)
            {
                if (field.Type is NonNullType)
                    context.Report($"OneOf input field {input.Name}.{field.Name} must be nullable.", field.AstNode?.Type);
                if (field.HasDefaultValue)
                    context.Report($"OneOf input field {input.Name}.{field.Name} cannot have a default value.", field.AstNode);
            }
        }
    }

    // A default must coerce to its type: as written in SDL, or as set code-first (graphql-js 17 validateDefaultValue).
    private static void ValidateDefaultValue(Context context, InputValueDefinition input, string coordinate)
    {
        if (!input.HasDefaultValue || !input.Type.IsInputType) return;
        var problems = new List<DefaultValueChecker.Problem>();
        var literal = input.AstNode?.DefaultValue;
        if (literal is not null) DefaultValueChecker.CheckLiteral(literal, input.Type, problems);
        else DefaultValueChecker.CheckValue(input.DefaultValue, input.Type, problems);
        foreach (var problem in problems)
            context.Report($"{coordinate} has invalid default value{(problem.Path.Length > 0 ? $" at {problem.Path}" : "")}: {problem.Message}",
                problem.Node ?? literal);
    }

    // An input object may not reach itself through non-null fields only: no finite value could be written.
    private sealed class InputObjectCycleFinder(Context context)
    {
        private readonly HashSet<InputObjectType> _visited = [];
        private readonly List<InputValueDefinition> _path = [];
        private readonly Dictionary<InputObjectType, int> _pathIndex = [];

        public void Check(InputObjectType input)
        {
            if (!_visited.Add(input)) return;
            _pathIndex[input] = _path.Count;
            foreach (var field in input.Fields.Values)
            {
                if (field.Type is not NonNullType { OfType: InputObjectType fieldType }) continue;
                _path.Add(field);
                if (!_pathIndex.TryGetValue(fieldType, out var cycleIndex))
                {
                    Check(fieldType);
                }
                else
                {
                    var cycle = _path.Skip(cycleIndex).ToList();
                    context.Report(
                        $"Cannot reference Input Object \"{fieldType.Name}\" within itself through a series of non-null fields: \"{string.Join('.', cycle.Select(f => f.Name))}\".",
                        cycle.Select(f => f.AstNode));
                }
                _path.RemoveAt(_path.Count - 1);
            }
            _pathIndex.Remove(input);
        }
    }

    private static void ValidateName(Context context, string name, Node? node)
    {
        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            context.Report($"Name \"{name}\" must not begin with \"__\", which is reserved by GraphQL introspection.", node);
            return;
        }
        if (!Lexer.IsNameStart(name[0]))
            context.Report($"Names must start with [_a-zA-Z] but \"{name}\" does not.", node);
        else if (!name.All(Lexer.IsNameContinue))
            context.Report($"Names must only contain [_a-zA-Z0-9] but \"{name}\" does not.", node);
    }

    /// <summary>The names of the introspection types (spec section 4.2), which are exempt from the "__" rule.</summary>
    public static IReadOnlySet<string> IntrospectionTypeNames { get; } = new HashSet<string>
    {
        "__Schema", "__Type", "__Field", "__InputValue", "__EnumValue", "__Directive", "__TypeKind", "__DirectiveLocation",
    };

    private static bool IsIntrospectionType(NamedType type) => IntrospectionTypeNames.Contains(type.Name) && type.AstNode is null;

    private static DirectiveNode? DeprecatedDirective(InputValueDefinitionNode? node) =>
        node?.Directives.FirstOrDefault(d => d.Name.Value == DirectiveDefinition.Deprecated.Name);

    private static IEnumerable<Node?> ImplementsNodes(ComplexType type, InterfaceType iface) =>
        AllInterfaceNodes(type).Where(n => n.Name.Value == iface.Name);

    private static IEnumerable<NamedTypeNode> AllInterfaceNodes(ComplexType type)
    {
        IEnumerable<Node?> nodes = [type.AstNode, .. type.ExtensionAstNodes];
        foreach (var node in nodes)
        {
            var interfaces = node switch
            {
                ObjectTypeDefinitionNode n => n.Interfaces,
                ObjectTypeExtensionNode n => n.Interfaces,
                InterfaceTypeDefinitionNode n => n.Interfaces,
                InterfaceTypeExtensionNode n => n.Interfaces,
                _ => [],
            };
            foreach (var named in interfaces) yield return named;
        }
    }

    private static IEnumerable<Node?> UnionMemberNodes(UnionType union, string memberName)
    {
        IEnumerable<Node?> nodes = [union.AstNode, .. union.ExtensionAstNodes];
        return nodes.SelectMany(node => node switch
        {
            UnionTypeDefinitionNode n => n.Types,
            UnionTypeExtensionNode n => n.Types,
            _ => [],
        }).Where(t => t.Name.Value == memberName);
    }
}
