using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>
/// A schema (spec section 3.3): root operation types, every named type reachable from them (or listed in
/// <c>types</c>), and directives. The schema is not validated on construction: call <see cref="SchemaValidator.Validate"/>
/// or <see cref="AssertValid"/> before executing against it.
/// </summary>
public sealed class Schema
{
    private readonly OrderedDictionary<string, NamedType> _types = [];
    private readonly Dictionary<string, DirectiveDefinition> _directivesByName = [];
    private readonly Dictionary<InterfaceType, (List<ObjectType> Objects, List<InterfaceType> Interfaces)> _implementations = [];
    private readonly Dictionary<NamedType, HashSet<NamedType>> _subTypes = [];
    private IReadOnlyList<SchemaError>? _validationErrors;
    private HashSet<string> _pending = [];

    /// <param name="query">The query root type (required by validation, but a schema without one can still be built and printed).</param>
    /// <param name="types">Types to include even when unreachable from the roots (e.g. implementations only used through interfaces); their order is kept.</param>
    /// <param name="directives">Directives; null means the specified ones (@include, @skip, @deprecated, @specifiedBy, @oneOf).</param>
    public Schema(
        ObjectType? query,
        ObjectType? mutation = null,
        ObjectType? subscription = null,
        IEnumerable<NamedType>? types = null,
        IEnumerable<DirectiveDefinition>? directives = null,
        string? description = null)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        Description = description;
        Directives = directives?.ToArray() ?? DirectiveDefinition.SpecifiedDirectives;

        // Collect named types in graphql-js's order: given types first, then types reachable from the roots,
        // the directives' arguments, and the scalars introspection always uses.
        // Given types keep their own order: one referenced by an earlier given type waits for its turn (as graphql-js's Set does).
        var given = types?.ToArray() ?? [];
        _pending = given.Select(t => t.Name).ToHashSet();
        foreach (var type in given)
        {
            _pending.Remove(type.Name);
            Collect(type);
        }
        foreach (var root in new[] { query, mutation, subscription }) if (root is not null) Collect(root);
        foreach (var directive in Directives)
        {
            _directivesByName.TryAdd(directive.Name, directive);
            foreach (var argument in directive.Arguments) Collect(argument.Type.Named);
        }
        Collect(ScalarType.String);
        Collect(ScalarType.Boolean);

        foreach (var type in _types.Values)
        {
            if (type is not ComplexType complex) continue;
            foreach (var implemented in complex.Interfaces)
            {
                var implementations = Implementations(implemented);
                if (type is ObjectType obj) implementations.Objects.Add(obj);
                else implementations.Interfaces.Add((InterfaceType)type);
            }
        }

        // Computed once so execution and validation can ask concurrently without locks.
        foreach (var type in _types.Values)
        {
            if (type is UnionType union) _subTypes[union] = [.. union.Types];
            else if (type is InterfaceType iface)
                _subTypes[iface] = [.. GetImplementations(iface).Objects, .. GetImplementations(iface).Interfaces];
        }
    }

    public ObjectType? Query { get; }
    public ObjectType? Mutation { get; }
    public ObjectType? Subscription { get; }
    public string? Description { get; }

    /// <summary>Every named type by name, in collection order.</summary>
    public IReadOnlyDictionary<string, NamedType> Types => _types;

    public IReadOnlyList<DirectiveDefinition> Directives { get; }

    public SchemaDefinitionNode? AstNode { get; init; }

    public IReadOnlyList<SchemaExtensionNode> ExtensionAstNodes { get; init; } = [];

    /// <summary>The named type of that name, or null.</summary>
    public NamedType? GetType(string name) => _types.GetValueOrDefault(name);

    /// <summary>The directive of that name, or null.</summary>
    public DirectiveDefinition? GetDirective(string name) => _directivesByName.GetValueOrDefault(name);

    /// <summary>The root type of an operation type, or null when the schema does not support it.</summary>
    public ObjectType? GetRootType(OperationType operation) => operation switch
    {
        OperationType.Query => Query,
        OperationType.Mutation => Mutation,
        OperationType.Subscription => Subscription,
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>The object types a value of an abstract type can have: a union's members, or the objects implementing an interface.</summary>
    public IReadOnlyList<ObjectType> GetPossibleTypes(NamedType abstractType) => abstractType switch
    {
        UnionType union => union.Types,
        InterfaceType iface => GetImplementations(iface).Objects,
        _ => throw new ArgumentException($"Expected an abstract type, got {abstractType}.", nameof(abstractType)),
    };

    /// <summary>The object and interface types that declare they implement <paramref name="iface"/>.</summary>
    public (IReadOnlyList<ObjectType> Objects, IReadOnlyList<InterfaceType> Interfaces) GetImplementations(InterfaceType iface) =>
        _implementations.TryGetValue(iface, out var found) ? (found.Objects, found.Interfaces) : ([], []);

    /// <summary>Whether <paramref name="maybeSubType"/> is a member of the union, or implements the interface.</summary>
    public bool IsSubType(NamedType abstractType, NamedType maybeSubType) =>
        _subTypes.TryGetValue(abstractType, out var subTypes) && subTypes.Contains(maybeSubType);

    /// <summary>Validates the schema once (spec "Type System" rules) and throws <see cref="InvalidSchemaException"/> when invalid.</summary>
    public Schema AssertValid()
    {
        var errors = _validationErrors ??= SchemaValidator.Validate(this);
        if (errors.Count > 0) throw new InvalidSchemaException(errors);
        return this;
    }

    private (List<ObjectType> Objects, List<InterfaceType> Interfaces) Implementations(InterfaceType iface)
    {
        if (!_implementations.TryGetValue(iface, out var found)) _implementations[iface] = found = ([], []);
        return found;
    }

    // Depth-first, adding each type before the types it references.
    private void Collect(NamedType type)
    {
        if (_pending.Contains(type.Name)) return;
        if (_types.TryGetValue(type.Name, out var existing))
        {
            if (!ReferenceEquals(existing, type))
                throw new InvalidSchemaException([new SchemaError(
                    $"Schema must contain uniquely named types but contains multiple types named \"{type.Name}\".", [])]);
            return;
        }
        _types.Add(type.Name, type);
        switch (type)
        {
            case UnionType union:
                foreach (var member in union.Types) Collect(member);
                break;
            case ComplexType complex:
                foreach (var iface in complex.Interfaces) Collect(iface);
                foreach (var field in complex.Fields.Values)
                {
                    Collect(field.Type.Named);
                    foreach (var argument in field.Arguments) Collect(argument.Type.Named);
                }
                break;
            case InputObjectType input:
                foreach (var field in input.Fields.Values) Collect(field.Type.Named);
                break;
        }
    }
}
