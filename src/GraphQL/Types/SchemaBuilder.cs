using Records.GraphQL.Language;
using Records.GraphQL.Validation;
using Records.GraphQL.Validation.Rules;

namespace Records.GraphQL.Types;

/// <summary>
/// Builds a <see cref="Schema"/> from SDL (graphql-js's buildASTSchema), applying type and schema extensions
/// written in the same document. Types built this way have no resolvers: execution's default resolver reads
/// properties or dictionary keys of the parent value, and abstract types resolve through a "__typename" key.
/// </summary>
public static class SchemaBuilder
{
    /// <summary>Parses and builds SDL. Throws <see cref="GraphQLSyntaxError"/> or <see cref="InvalidSchemaException"/>.</summary>
    public static Schema FromSdl(string sdl) => FromDocument(Parser.Parse(sdl, ParserOptions.Unlimited));

    /// <summary>Builds a parsed SDL document, checking the directives it applies; the schema itself is not validated: call <see cref="Schema.AssertValid"/>.</summary>
    public static Schema FromDocument(DocumentNode document)
    {
        var schema = new Builder(document).Build();
        var errors = DocumentValidator.Validate(schema, document, DirectiveUsageRules, maxErrors: int.MaxValue);
        if (errors.Count > 0) throw new InvalidSchemaException(errors.Select(SchemaError.FromValidation).ToArray());
        return schema;
    }

    // graphql-js checks the directives applied in SDL with its SDL rules (KnownDirectives, UniqueDirectivesPerLocation,
    // KnownArgumentNamesOnDirectives, UniqueArgumentNames, ProvidedRequiredArgumentsOnDirectives, UniqueInputFieldNames)
    // and the argument values when it builds them. The executable rules do the same over an SDL document, against the
    // directives of the schema just built.
    private static readonly IReadOnlyList<ValidationRuleFactory> DirectiveUsageRules =
    [
        c => new DirectivesAreDefined(c),
        c => new DirectivesAreInValidLocations(c),
        c => new DirectivesAreUniquePerLocation(c),
        c => new ArgumentNames(c),
        c => new ArgumentUniqueness(c),
        c => new RequiredArguments(c),
        c => new InputObjectFieldUniqueness(c),
        c => new ValuesOfCorrectType(c),
    ];

    private sealed class Builder
    {
        private readonly List<SchemaError> _errors = [];
        private readonly OrderedDictionary<string, TypeDefinitionNode> _typeDefinitions = [];
        private readonly Dictionary<string, List<TypeExtensionNode>> _typeExtensions = [];
        private readonly List<DirectiveDefinitionNode> _directiveDefinitions = [];
        private readonly Dictionary<string, NamedType> _built = [];
        private SchemaDefinitionNode? _schemaDefinition;
        private readonly List<SchemaExtensionNode> _schemaExtensions = [];

        public Builder(DocumentNode document)
        {
            foreach (var definition in document.Definitions)
            {
                switch (definition)
                {
                    case TypeDefinitionNode type:
                        if (!_typeDefinitions.TryAdd(type.Name.Value, type))
                            _errors.Add(new SchemaError($"There can be only one type named \"{type.Name.Value}\".",
                                [_typeDefinitions[type.Name.Value].Name, type.Name]));
                        break;
                    case TypeExtensionNode extension:
                        if (!_typeExtensions.TryGetValue(extension.Name.Value, out var list))
                            _typeExtensions[extension.Name.Value] = list = [];
                        list.Add(extension);
                        break;
                    case DirectiveDefinitionNode directive:
                        _directiveDefinitions.Add(directive);
                        break;
                    case SchemaDefinitionNode schema:
                        if (_schemaDefinition is not null)
                            _errors.Add(new SchemaError("Must provide only one schema definition.", [schema]));
                        _schemaDefinition ??= schema;
                        break;
                    case SchemaExtensionNode schemaExtension:
                        _schemaExtensions.Add(schemaExtension);
                        break;
                    default:
                        _errors.Add(new SchemaError("Only type system definitions and extensions may appear in SDL.", [definition]));
                        break;
                }
            }
        }

        public Schema Build()
        {
            foreach (var (name, extensions) in _typeExtensions)
            {
                if (!_typeDefinitions.TryGetValue(name, out var definition) && !IsSpecifiedScalar(name))
                {
                    _errors.Add(new SchemaError($"Cannot extend type \"{name}\" because it is not defined.", [extensions[0].Name]));
                    continue;
                }
                // An extension must be of its type's kind (graphql-js PossibleTypeExtensionsRule).
                var kind = definition is null ? "scalar" : KindOf(definition);
                foreach (var extension in extensions.Where(e => KindOf(e) != kind))
                    _errors.Add(new SchemaError($"Cannot extend non-{KindOf(extension)} type \"{name}\".", definition is null ? [extension] : [definition, extension]));
            }
            ThrowIfDuplicated(_directiveDefinitions.Select(d => d.Name), n => $"There can be only one directive named \"@{n}\".");
            ThrowIfErrors();

            var types = _typeDefinitions.Keys.Select(GetNamedType).ToList();
            var directives = _directiveDefinitions.Select(BuildDirective).ToList();
            // Specified directives the document does not redefine are always present.
            foreach (var specified in DirectiveDefinition.SpecifiedDirectives)
                if (directives.All(d => d.Name != specified.Name)) directives.Add(specified);

            var roots = RootTypeNames();
            var schema = new Schema(
                RootType(roots, OperationType.Query),
                RootType(roots, OperationType.Mutation),
                RootType(roots, OperationType.Subscription),
                types,
                directives,
                _schemaDefinition?.Description?.Value)
            {
                AstNode = _schemaDefinition,
                ExtensionAstNodes = _schemaExtensions,
            };
            ThrowIfErrors();
            return schema;
        }

        private static string KindOf(Node node) => node switch
        {
            ScalarTypeDefinitionNode or ScalarTypeExtensionNode => "scalar",
            ObjectTypeDefinitionNode or ObjectTypeExtensionNode => "object",
            InterfaceTypeDefinitionNode or InterfaceTypeExtensionNode => "interface",
            UnionTypeDefinitionNode or UnionTypeExtensionNode => "union",
            EnumTypeDefinitionNode or EnumTypeExtensionNode => "enum",
            _ => "input object",
        };

        private void ThrowIfErrors()
        {
            if (_errors.Count > 0) throw new InvalidSchemaException(_errors.ToArray());
        }

        private Dictionary<OperationType, NamedTypeNode?> RootTypeNames()
        {
            var roots = new Dictionary<OperationType, NamedTypeNode?>();
            var operationTypes = (_schemaDefinition?.OperationTypes ?? []).Concat(_schemaExtensions.SelectMany(e => e.OperationTypes));
            foreach (var operationType in operationTypes)
            {
                if (!roots.TryAdd(operationType.Operation, operationType.Type))
                    _errors.Add(new SchemaError(
                        $"There can be only one {Printer.OperationName(operationType.Operation)} type in schema.", [operationType]));
            }
            if (_schemaDefinition is not null) return roots;

            // Without a schema definition, types named Query, Mutation and Subscription are the roots (as in graphql-js).
            foreach (var operation in Enum.GetValues<OperationType>())
            {
                var name = Printer.OperationName(operation);
                var defaultName = char.ToUpperInvariant(name[0]) + name[1..];
                if (_typeDefinitions.TryGetValue(defaultName, out var definition)) roots[operation] = new NamedTypeNode(definition.Name);
            }
            return roots;
        }

        private ObjectType? RootType(Dictionary<OperationType, NamedTypeNode?> roots, OperationType operation)
        {
            if (!roots.TryGetValue(operation, out var node) || node is null) return null;
            var type = GetNamedType(node.Name.Value, node);
            if (type is ObjectType objectType) return objectType;
            var name = Printer.OperationName(operation);
            _errors.Add(new SchemaError(
                $"{char.ToUpperInvariant(name[0]) + name[1..]} root type must be Object type, it cannot be {type.Name}.", [node]));
            return null;
        }

        private NamedType GetNamedType(string name) => GetNamedType(name, null);

        private NamedType GetNamedType(string name, Node? reference)
        {
            if (_built.TryGetValue(name, out var built)) return built;
            if (ScalarType.SpecifiedScalars.FirstOrDefault(s => s.Name == name) is { } specified && !_typeDefinitions.ContainsKey(name))
                return specified;
            if (!_typeDefinitions.TryGetValue(name, out var definition))
                throw new InvalidSchemaException([new SchemaError($"Unknown type \"{name}\".", reference is null ? [] : [reference])]);
            return _built[name] = BuildType(definition, _typeExtensions.GetValueOrDefault(name) ?? []);
        }

        private GraphQLType GetType(TypeNode node) => node switch
        {
            NonNullTypeNode n => GetType(n.Type).NonNull(),
            ListTypeNode n => GetType(n.Type).List(),
            NamedTypeNode n => GetNamedType(n.Name.Value, n),
            _ => throw new ArgumentException($"Unexpected type node {node.GetType().Name}.", nameof(node)),
        };

        private NamedType BuildType(TypeDefinitionNode definition, List<TypeExtensionNode> extensions)
        {
            var description = definition.Description?.Value;
            var name = definition.Name.Value;
            IReadOnlyList<DirectiveNode> allDirectives = [.. definition.Directives, .. extensions.SelectMany(e => e.Directives)];
            switch (definition)
            {
                case ScalarTypeDefinitionNode:
                    var url = DirectiveArgument(allDirectives, DirectiveDefinition.SpecifiedBy, "url") as string;
                    return new ScalarType(name, description, url) { AstNode = definition, ExtensionAstNodes = extensions };

                case ObjectTypeDefinitionNode node:
                    var objectExtensions = extensions.OfType<ObjectTypeExtensionNode>().ToList();
                    return new ObjectType(name, builder => ConfigureFields(builder,
                        [.. node.Interfaces, .. objectExtensions.SelectMany(e => e.Interfaces)],
                        [.. node.Fields, .. objectExtensions.SelectMany(e => e.Fields)]), description)
                    { AstNode = definition, ExtensionAstNodes = extensions };

                case InterfaceTypeDefinitionNode node:
                    var interfaceExtensions = extensions.OfType<InterfaceTypeExtensionNode>().ToList();
                    return new InterfaceType(name, builder => ConfigureFields(builder,
                        [.. node.Interfaces, .. interfaceExtensions.SelectMany(e => e.Interfaces)],
                        [.. node.Fields, .. interfaceExtensions.SelectMany(e => e.Fields)]), description)
                    { AstNode = definition, ExtensionAstNodes = extensions };

                case UnionTypeDefinitionNode node:
                    IReadOnlyList<NamedTypeNode> members = [.. node.Types, .. extensions.OfType<UnionTypeExtensionNode>().SelectMany(e => e.Types)];
                    return new UnionType(name, () => members.Select(m => UnionMember(name, m)), description) { AstNode = definition, ExtensionAstNodes = extensions };

                case EnumTypeDefinitionNode node:
                    IReadOnlyList<EnumValueDefinitionNode> values = [.. node.Values, .. extensions.OfType<EnumTypeExtensionNode>().SelectMany(e => e.Values)];
                    ThrowIfDuplicated(values.Select(v => v.Name), n => $"Enum value \"{name}.{n}\" can only be defined once.");
                    return new EnumType(name, values.Select(v => new EnumValueDefinition(v.Name.Value, v.Name.Value)
                    {
                        Description = v.Description?.Value,
                        DeprecationReason = DeprecationReason(v.Directives),
                        AstNode = v,
                    }), description) { AstNode = definition, ExtensionAstNodes = extensions };

                case InputObjectTypeDefinitionNode node:
                    IReadOnlyList<InputValueDefinitionNode> fields = [.. node.Fields, .. extensions.OfType<InputObjectTypeExtensionNode>().SelectMany(e => e.Fields)];
                    var isOneOf = allDirectives.Any(d => d.Name.Value == DirectiveDefinition.OneOf.Name);
                    ThrowIfDuplicated(fields.Select(f => f.Name), n => $"Field \"{name}.{n}\" can only be defined once.");
                    return new InputObjectType(name, builder =>
                    {
                        foreach (var field in fields) builder.Field(BuildInputValue(field));
                    }, description, isOneOf) { AstNode = definition, ExtensionAstNodes = extensions };

                default:
                    throw new ArgumentException($"Unexpected definition {definition.GetType().Name}.", nameof(definition));
            }
        }

        private ObjectType UnionMember(string unionName, NamedTypeNode node)
        {
            var type = GetNamedType(node.Name.Value, node);
            return type as ObjectType ?? throw new InvalidSchemaException([new SchemaError(
                $"Union type {unionName} can only include Object types, it cannot include {type.Name}.", [node])]);
        }

        private void ConfigureFields(FieldsBuilder builder, IReadOnlyList<NamedTypeNode> interfaces, IReadOnlyList<FieldDefinitionNode> fields)
        {
            foreach (var node in interfaces)
            {
                var type = GetNamedType(node.Name.Value, node);
                builder.Implements(type as InterfaceType ?? throw new InvalidSchemaException([new SchemaError(
                    $"Type {builder.Owner.Name} must only implement Interface types, it cannot implement {type.Name}.", [node])]));
            }
            var owner = builder.Owner.Name;
            ThrowIfDuplicated(fields.Select(f => f.Name), n => $"Field \"{owner}.{n}\" can only be defined once.");
            foreach (var field in fields)
            {
                ThrowIfDuplicated(field.Arguments.Select(a => a.Name),
                    n => $"Argument \"{owner}.{field.Name.Value}({n}:)\" can only be defined once.");
                builder.Field(new FieldDefinition(field.Name.Value, GetType(field.Type), field.Arguments.Select(BuildInputValue))
                {
                    Description = field.Description?.Value,
                    DeprecationReason = DeprecationReason(field.Directives),
                    AstNode = field,
                });
            }
        }

        private InputValueDefinition BuildInputValue(InputValueDefinitionNode node)
        {
            var type = GetType(node.Type);
            var description = node.Description?.Value;
            var deprecationReason = DeprecationReason(node.Directives);
            if (node.DefaultValue is null)
                return new InputValueDefinition(node.Name.Value, type) { Description = description, DeprecationReason = deprecationReason, AstNode = node };
            // A default that does not coerce keeps its literal's value; SchemaValidator reports it, as graphql-js's validateSchema does.
            return new InputValueDefinition(node.Name.Value, type)
            {
                DefaultValue = type.IsInputType && ValueCoercion.TryCoerceInputLiteral(node.DefaultValue, type, null, out var value)
                    ? value
                    : ValueCoercion.ValueFromAstUntyped(node.DefaultValue),
                Description = description,
                DeprecationReason = deprecationReason,
                AstNode = node,
            };
        }

        private DirectiveDefinition BuildDirective(DirectiveDefinitionNode node) =>
            new(node.Name.Value,
                node.Locations.Select(l => Enum.Parse<DirectiveLocation>(l.Value)),
                node.Arguments.Select(BuildInputValue),
                node.Repeatable,
                node.Description?.Value)
            { AstNode = node };

        private static string? DeprecationReason(IReadOnlyList<DirectiveNode> directives)
        {
            if (directives.All(d => d.Name.Value != DirectiveDefinition.Deprecated.Name)) return null;
            return DirectiveArgument(directives, DirectiveDefinition.Deprecated, "reason") as string ?? DirectiveDefinition.DefaultDeprecationReason;
        }

        // The coerced value of a built-in directive's argument where it is applied, or its default.
        private static object? DirectiveArgument(IReadOnlyList<DirectiveNode> directives, DirectiveDefinition definition, string argumentName)
        {
            var directive = directives.FirstOrDefault(d => d.Name.Value == definition.Name);
            var argument = definition.GetArgument(argumentName)!;
            var node = directive?.Arguments.FirstOrDefault(a => a.Name.Value == argumentName);
            if (node is not null && ValueCoercion.TryCoerceInputLiteral(node.Value, argument.Type, null, out var value)) return value;
            return argument.DefaultValue;
        }

        // Names that must be unique within their parent, reported with every occurrence (graphql-js's SDL rules).
        private static void ThrowIfDuplicated(IEnumerable<NameNode> names, Func<string, string> message)
        {
            var errors = names.GroupBy(n => n.Value).Where(g => g.Count() > 1)
                .Select(g => new SchemaError(message(g.Key), g.ToArray())).ToArray();
            if (errors.Length > 0) throw new InvalidSchemaException(errors);
        }

        private static bool IsSpecifiedScalar(string name) => ScalarType.SpecifiedScalars.Any(s => s.Name == name);
    }
}
