using System.Collections;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Records.GraphQL.Introspection;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Execution;

/// <summary>
/// The state of one execution of one operation (graphql-js's ExecutionContext): coerced variables, the field plans,
/// the errors so far and the batch scheduler. Fields run on one thread while resolvers complete synchronously;
/// asynchronous resolvers make siblings run concurrently, so shared state here is thread-safe.
/// </summary>
internal sealed class RequestExecution
{
    private readonly Dictionary<string, FragmentDefinitionNode> _fragments;
    private readonly List<GraphQLError> _errors = [];
    private readonly Dictionary<(ObjectType, object), FieldPlan> _plans = [];

    public RequestExecution(
        ExecutionRequest request,
        Dictionary<string, FragmentDefinitionNode> fragments,
        IReadOnlyDictionary<string, object?> variables,
        CancellationToken cancellationToken)
    {
        Request = request;
        Schema = request.Schema;
        _fragments = fragments;
        Variables = variables;
        Items = request.Items ?? NewItems();
        CancellationToken = cancellationToken;
        Batches = new BatchScheduler(cancellationToken);
    }

    public ExecutionRequest Request { get; }

    public Schema Schema { get; }

    public IReadOnlyDictionary<string, object?> Variables { get; }

    public IDictionary<string, object?> Items { get; }

    /// <summary>A bag for a request that brings none: concurrent, as sibling resolvers run at once; small, as most share few items.</summary>
    internal static IDictionary<string, object?> NewItems() => new ConcurrentDictionary<string, object?>(concurrencyLevel: 1, capacity: 4);

    public CancellationToken CancellationToken { get; }

    public BatchScheduler Batches { get; }

    /// <summary>Data loaders of this request by name; made on first use.</summary>
    public ConcurrentDictionary<string, object> DataLoaders => LazyInitializer.EnsureInitialized(ref _dataLoaders);

    private ConcurrentDictionary<string, object>? _dataLoaders;

    public IReadOnlyList<GraphQLError> Errors
    {
        get
        {
            lock (_errors) return _errors.ToArray();
        }
    }

    /// <summary>Executes the operation's root selection set: mutations serially, queries and subscription events in parallel.</summary>
    public ValueTask<ResultMap> ExecuteRoot(OperationDefinitionNode operation, ObjectType rootType, object? rootValue)
    {
        var plan = GetPlan(rootType, operation.SelectionSet, [operation.SelectionSet], shareable: true);
        return operation.Operation == OperationType.Mutation
            ? ExecuteFieldsSerially(rootType, rootValue, plan)
            : ExecuteFields(rootType, rootValue, null, plan);
    }

    /// <summary>
    /// Waits for a pending execution, dispatching data loader batches whenever the execution is waiting on them:
    /// all keys asked for by one wave of resolvers are fetched together.
    /// </summary>
    public async ValueTask<ResultMap> RunToCompletion(ValueTask<ResultMap> pending)
    {
        var task = pending.AsTask();
        while (!task.IsCompleted)
        {
            if (Batches.HasQueued)
            {
                await Batches.DispatchAsync().ConfigureAwait(false);
                continue;
            }
            await Task.WhenAny(task, Batches.WhenQueued()).WaitAsync(CancellationToken).ConfigureAwait(false);
        }
        return await task.ConfigureAwait(false);
    }

    // CollectFields (spec 6.3.2)

    /// <summary>
    /// The collected fields of <paramref name="selectionSets"/> on <paramref name="type"/> for a (type, key). For a reused
    /// document, plans that no variable can change are kept with it for later requests; the others live for this request.
    /// </summary>
    public FieldPlan GetPlan(ObjectType type, object key, IEnumerable<SelectionSetNode> selectionSets, bool shareable)
    {
        var shared = shareable && Request.DocumentIsReused ? SharedPlans.GetValue(Request.Document, static _ => new()) : null;
        if (shared is not null && shared.TryGetValue((type, key), out var reused)) return reused;
        lock (_plans)
        {
            if (_plans.TryGetValue((type, key), out var cached)) return cached;
        }

        var grouped = new OrderedDictionary<string, List<FieldNode>>();
        var collection = new Collection(new HashSet<string>());
        foreach (var selectionSet in selectionSets) CollectFields(type, selectionSet, grouped, collection);
        var isShared = shared is not null && !collection.UsedVariables;

        var fields = new List<CollectedField>(grouped.Count);
        foreach (var (responseKey, nodes) in grouped)
        {
            var name = nodes[0].Name.Value;
            if (name == "__typename")
            {
                fields.Add(new CollectedField(responseKey, [.. nodes], null, isShared));
                continue;
            }
            // Fields the type does not define are left out; validation reports them.
            if (GetFieldDefinition(type, name) is { } definition)
                fields.Add(new CollectedField(responseKey, [.. nodes], definition, isShared));
        }
        var plan = new FieldPlan([.. fields]);
        if (isShared) return shared!.GetOrAdd((type, key), plan);
        lock (_plans) return _plans.TryAdd((type, key), plan) ? plan : _plans[(type, key)];
    }

    // Per document: its plans that depend on no variable, by (object type, selection key).
    private static readonly ConditionalWeakTable<DocumentNode, ConcurrentDictionary<(ObjectType, object), FieldPlan>> SharedPlans = new();

    /// <summary>The coerced arguments of a field: once per shared field when they use no variable, else once per request.</summary>
    private IReadOnlyDictionary<string, object?> GetArguments(CollectedField field)
    {
        if (field.Arguments is { } known) return known;
        var definition = field.Definition!;
        if (!field.IsShared || !field.ArgumentsUseVariables)
            return field.Arguments = Values.CoerceArgumentValues(definition.Arguments, field.Nodes[0].Arguments, Variables, field.Nodes[0]);
        lock (_arguments)
        {
            if (_arguments.TryGetValue(field, out var coerced)) return coerced;
        }
        var arguments = Values.CoerceArgumentValues(definition.Arguments, field.Nodes[0].Arguments, Variables, field.Nodes[0]);
        lock (_arguments) _arguments[field] = arguments;
        return arguments;
    }

    private readonly Dictionary<CollectedField, IReadOnlyDictionary<string, object?>> _arguments = [];

    /// <summary>State of one CollectFields run: fragments already spread, and whether a @skip/@include read a variable.</summary>
    private sealed class Collection(HashSet<string> visitedFragments)
    {
        public HashSet<string> VisitedFragments { get; } = visitedFragments;
        public bool UsedVariables { get; set; }
    }

    private FieldDefinition? GetFieldDefinition(ObjectType type, string name)
    {
        if (ReferenceEquals(type, Schema.Query))
        {
            if (name == IntrospectionSchema.SchemaField.Name) return IntrospectionSchema.SchemaField;
            if (name == IntrospectionSchema.TypeField.Name) return IntrospectionSchema.TypeField;
        }
        return type.GetField(name);
    }

    private void CollectFields(ObjectType type, SelectionSetNode selectionSet, OrderedDictionary<string, List<FieldNode>> fields, Collection collection)
    {
        foreach (var selection in selectionSet.Selections)
        {
            if (!ShouldInclude(selection.Directives, collection)) continue;
            switch (selection)
            {
                case FieldNode field:
                    if (!fields.TryGetValue(field.ResponseKey, out var nodes)) fields.Add(field.ResponseKey, nodes = []);
                    nodes.Add(field);
                    break;
                case InlineFragmentNode inline:
                    if (inline.TypeCondition is null || DoesFragmentTypeApply(type, inline.TypeCondition))
                        CollectFields(type, inline.SelectionSet, fields, collection);
                    break;
                case FragmentSpreadNode spread:
                    var name = spread.Name.Value;
                    if (!collection.VisitedFragments.Add(name) || !_fragments.TryGetValue(name, out var fragment)) continue;
                    if (DoesFragmentTypeApply(type, fragment.TypeCondition))
                        CollectFields(type, fragment.SelectionSet, fields, collection);
                    break;
            }
        }
    }

    private bool ShouldInclude(IReadOnlyList<DirectiveNode> directives, Collection collection)
    {
        foreach (var directive in directives)
        {
            var name = directive.Name.Value;
            if (name != DirectiveDefinition.Skip.Name && name != DirectiveDefinition.Include.Name) continue;
            if (directive.Arguments.Any(a => CollectedField.UsesVariables(a.Value))) collection.UsedVariables = true;
            var definition = name == DirectiveDefinition.Skip.Name ? DirectiveDefinition.Skip : DirectiveDefinition.Include;
            var condition = Values.CoerceArgumentValues(definition.Arguments, directive.Arguments, Variables, directive)["if"] is true;
            if (condition == (definition == DirectiveDefinition.Skip)) return false;
        }
        return true;
    }

    // Fragments may be on introspection types, which the schema's type map does not hold.
    private bool DoesFragmentTypeApply(ObjectType type, NamedTypeNode condition) => IntrospectionSchema.GetType(Schema, condition.Name.Value) switch
    {
        ObjectType obj => ReferenceEquals(obj, type),
        NamedType { IsAbstractType: true } abstractType => Schema.IsSubType(abstractType, type),
        _ => false,
    };

    // ExecuteSelectionSet (spec 6.3)

    private ValueTask<ResultMap> ExecuteFields(ObjectType type, object? source, ResponsePath? path, FieldPlan plan)
    {
        CancellationToken.ThrowIfCancellationRequested();
        var result = new ResultMap(plan.Keys);
        List<(int Index, ValueTask<object?> Value)>? pending = null;
        PropagatedNull? nulled = null;
        for (var i = 0; i < plan.Fields.Length; i++)
        {
            var field = plan.Fields[i];
            if (field.Definition is null)
            {
                result.Set(i, type.Name);
                continue;
            }
            try
            {
                var value = ExecuteField(type, source, field, path);
                if (value.IsCompletedSuccessfully) result.Set(i, value.Result);
                else (pending ??= []).Add((i, value));
            }
            catch (PropagatedNull e)
            {
                // As graphql-js: stop starting siblings, but let the started ones finish and report their errors.
                nulled = e;
                break;
            }
        }
        if (pending is null) return nulled is null ? new ValueTask<ResultMap>(result) : throw nulled;
        return AwaitFields(result, pending, nulled);
    }

    private static async ValueTask<ResultMap> AwaitFields(ResultMap result, List<(int Index, ValueTask<object?> Value)> pending, PropagatedNull? nulled)
    {
        foreach (var (index, value) in pending)
        {
            try
            {
                result.Set(index, await value.ConfigureAwait(false));
            }
            catch (PropagatedNull e)
            {
                nulled ??= e;
            }
        }
        return nulled is null ? result : throw nulled;
    }

    // Spec 6.3.1 "Normal and Serial Execution": each mutation field completes before the next starts.
    private async ValueTask<ResultMap> ExecuteFieldsSerially(ObjectType type, object? source, FieldPlan plan)
    {
        var result = new ResultMap(plan.Keys);
        for (var i = 0; i < plan.Fields.Length; i++)
        {
            CancellationToken.ThrowIfCancellationRequested();
            var field = plan.Fields[i];
            result.Set(i, field.Definition is null
                ? type.Name
                : await ExecuteField(type, source, field, null).ConfigureAwait(false));
        }
        return result;
    }

    // ExecuteField (spec 6.4): resolve, then complete; errors stop at this field when its type is nullable.
    // A leaf read by the default resolver needs its path only for an error, so it is made only then.
    private ValueTask<object?> ExecuteField(ObjectType parentType, object? source, CollectedField field, ResponsePath? parentPath)
    {
        var definition = field.Definition!;
        var returnType = definition.Type;
        var path = field.IsPlainLeaf ? null : new ResponsePath(parentPath, field.ResponseKey);
        try
        {
            var arguments = GetArguments(field);
            ValueTask<object?> resolved;
            ResolveContext? context = null;
            if (definition.Resolve is { } resolve)
            {
                context = CreateContext(source, arguments, definition, parentType, path!);
                resolved = resolve(context);
            }
            else
            {
                // The default resolver needs no context, so none is made unless completion asks for one.
                resolved = new ValueTask<object?>(DefaultResolver.Resolve(source, definition.Name));
            }

            var site = new FieldSite(parentType, source, field, context);
            if (!resolved.IsCompletedSuccessfully) return ExecuteFieldAsync(resolved, returnType, site, path!);
            var completed = CompleteValue(returnType, site, path!, resolved.Result);
            return completed.IsCompletedSuccessfully ? completed : AwaitCompletion(completed, returnType, field, path!);
        }
        catch (Exception e)
        {
            return new ValueTask<object?>(HandleFieldError(e, returnType, field, path ?? new ResponsePath(parentPath, field.ResponseKey)));
        }
    }

    private async ValueTask<object?> ExecuteFieldAsync(ValueTask<object?> resolving, GraphQLType returnType, FieldSite site, ResponsePath path)
    {
        try
        {
            var resolved = await resolving.ConfigureAwait(false);
            return await CompleteValue(returnType, site, path, resolved).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return HandleFieldError(e, returnType, site.Field, path);
        }
    }

    private async ValueTask<object?> AwaitCompletion(ValueTask<object?> completing, GraphQLType type, CollectedField field, ResponsePath path)
    {
        try
        {
            return await completing.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return HandleFieldError(e, type, field, path);
        }
    }

    private ExecutionResolveContext CreateContext(object? source, IReadOnlyDictionary<string, object?> arguments, FieldDefinition definition, ObjectType parentType, ResponsePath path) =>
        new(this, source, arguments, definition, parentType, path);

    /// <summary>Records the error (once, where it happened) and gives null; a non-null position passes the null up instead.</summary>
    private object? HandleFieldError(Exception exception, GraphQLType type, CollectedField field, ResponsePath path)
    {
        if (exception is OperationCanceledException && CancellationToken.IsCancellationRequested)
            ExceptionDispatchInfo.Throw(exception);
        if (exception is not PropagatedNull) AddError(ToFieldError(exception, field.Nodes, path));
        if (type is NonNullType) throw exception as PropagatedNull ?? new PropagatedNull();
        return null;
    }

    public void AddError(GraphQLError error)
    {
        lock (_errors) _errors.Add(error);
    }

    /// <summary>
    /// An exception as a located field error. GraphQL errors and coercion failures keep their message;
    /// other exceptions are as <see cref="ExecutionRequest.MapException"/> makes them, else masked unless
    /// <see cref="ExecutionRequest.ExposeExceptionMessages"/> is set.
    /// </summary>
    public GraphQLError ToFieldError(Exception exception, IReadOnlyList<FieldNode> nodes, ResponsePath path)
    {
        var locations = GraphQLError.LocationsOf(nodes);
        var pathList = path.ToList();
        if (exception is GraphQLError error)
            return new GraphQLError(error.Message, error.Code, error.Locations.Count > 0 ? error.Locations : locations, error.Path ?? pathList, error.Extensions, error);
        if (exception is CoercionException coercion)
            return new GraphQLError(coercion.Message, coercion.Code, locations, pathList, innerException: coercion);
        // A mapping that throws explains nothing: a bug of the host's must not fail the whole request, and its own
        // exception rides along with the resolver's for the host's logs.
        GraphQLError? mapped;
        Exception? mappingFailure = null;
        try
        {
            mapped = Request.MapException?.Invoke(exception);
        }
        catch (Exception failure)
        {
            (mapped, mappingFailure) = (null, failure);
        }
        return mapped is not null
            ? new GraphQLError(mapped.Message, mapped.Code, locations, pathList, mapped.Extensions, exception)
            : new GraphQLError(Request.ExposeExceptionMessages ? exception.Message : "Unexpected error.", ErrorCodes.InternalServerError,
                locations, pathList, innerException: mappingFailure is null ? exception : new AggregateException(exception, mappingFailure));
    }

    // CompleteValue (spec 6.4.3)

    private ValueTask<object?> CompleteValue(GraphQLType type, FieldSite site, ResponsePath path, object? result)
    {
        if (type is NonNullType nonNull)
        {
            var completed = CompleteValue(nonNull.OfType, site, path, result);
            if (!completed.IsCompletedSuccessfully) return EnsureNonNull(completed, site);
            return completed.Result is null ? throw NullForNonNull(site) : completed;
        }
        if (result is null) return default;
        return type switch
        {
            ListType list => CompleteList(list.OfType, site, path, result),
            ScalarType scalar => new ValueTask<object?>(SerializeScalar(scalar, result)),
            EnumType enumType => new ValueTask<object?>(enumType.Serialize(result)),
            ObjectType obj => CompleteObject(obj, site, path, result),
            _ => CompleteAbstract(type.Named, site, path, result),
        };
    }

    private static async ValueTask<object?> EnsureNonNull(ValueTask<object?> completing, FieldSite site) =>
        await completing.ConfigureAwait(false) ?? throw NullForNonNull(site);

    private static GraphQLError NullForNonNull(FieldSite site) =>
        new($"Cannot return null for non-nullable field {site.ParentType.Name}.{site.Field.Definition!.Name}.", ErrorCodes.InvalidFieldResult);

    private static object SerializeScalar(ScalarType scalar, object result) =>
        scalar.Serialize(result)
        ?? throw new GraphQLError($"Expected `{scalar.Name}.serialize({Inspect.Value(result)})` to return non-nullable value, returned: null",
            ErrorCodes.InvalidFieldResult);

    private ValueTask<object?> CompleteList(GraphQLType itemType, FieldSite site, ResponsePath path, object result)
    {
        if (result is not IEnumerable enumerable || result is string || result is IDictionary || result is IReadOnlyDictionary<string, object?>)
            throw new GraphQLError(
                $"Expected Iterable, but did not find one for field \"{site.ParentType.Name}.{site.Field.Definition!.Name}\".", ErrorCodes.InvalidFieldResult);

        var items = result as IList ?? enumerable.Cast<object?>().ToList();
        var completed = new object?[items.Count];
        // Leaf items complete synchronously and need their path only for an error.
        var leafItems = itemType.Named.IsLeafType && itemType.Nullable is not ListType;
        List<(int Index, ValueTask<object?> Value)>? pending = null;
        for (var i = 0; i < completed.Length; i++)
        {
            var itemPath = leafItems ? null : new ResponsePath(path, Index(i));
            ValueTask<object?> item;
            try
            {
                item = CompleteValue(itemType, site, itemPath!, items[i]);
            }
            catch (Exception e)
            {
                completed[i] = HandleFieldError(e, itemType, site.Field, itemPath ?? new ResponsePath(path, Index(i)));
                continue;
            }
            if (item.IsCompletedSuccessfully) completed[i] = item.Result;
            else (pending ??= []).Add((i, AwaitCompletion(item, itemType, site.Field, itemPath!)));
        }
        return pending is null ? new ValueTask<object?>(completed) : AwaitItems(completed, pending);
    }

    private static readonly object[] BoxedIndices = Enumerable.Range(0, 1024).Select(i => (object)i).ToArray();

    // List indices as path keys, boxed once for the common sizes.
    private static object Index(int i) => i < BoxedIndices.Length ? BoxedIndices[i] : i;

    private static async ValueTask<object?> AwaitItems(object?[] completed, List<(int Index, ValueTask<object?> Value)> pending)
    {
        PropagatedNull? nulled = null;
        foreach (var (index, value) in pending)
        {
            try
            {
                completed[index] = await value.ConfigureAwait(false);
            }
            catch (PropagatedNull e)
            {
                nulled ??= e;
            }
        }
        return nulled is null ? completed : throw nulled;
    }

    private ValueTask<object?> CompleteObject(ObjectType type, FieldSite site, ResponsePath path, object result)
    {
        if (type.IsTypeOf is { } isTypeOf && !isTypeOf(result, ContextOf(site, path)))
            throw new GraphQLError($"Expected value of type \"{type.Name}\" but got: {Inspect.Value(result)}.", ErrorCodes.InvalidFieldResult);

        var plan = GetPlan(type, site.Field.Nodes, SubSelections(site.Field.Nodes), site.Field.IsShared);
        var fields = ExecuteFields(type, result, path, plan);
        return fields.IsCompletedSuccessfully ? new ValueTask<object?>(fields.Result) : AsObject(fields);
    }

    private static async ValueTask<object?> AsObject(ValueTask<ResultMap> fields) => await fields.ConfigureAwait(false);

    private static IEnumerable<SelectionSetNode> SubSelections(FieldNode[] nodes)
    {
        foreach (var node in nodes)
            if (node.SelectionSet is { } selectionSet) yield return selectionSet;
    }

    private ValueTask<object?> CompleteAbstract(NamedType abstractType, FieldSite site, ResponsePath path, object result)
    {
        var context = ContextOf(site, path);
        var resolveType = abstractType switch
        {
            InterfaceType iface => iface.ResolveType,
            UnionType union => union.ResolveType,
            _ => throw new ArgumentException($"Expected an abstract type, got {abstractType}.", nameof(abstractType)),
        };
        var runtimeType = resolveType is null ? DefaultTypeResolver(abstractType, result, context) : resolveType(result, context);
        if (runtimeType is null)
            throw new GraphQLError(
                $"Abstract type \"{abstractType.Name}\" must resolve to an Object type at runtime for field \"{site.ParentType.Name}.{site.Field.Definition!.Name}\". " +
                $"Either the \"{abstractType.Name}\" type should provide a \"resolveType\" function or each possible type should provide an \"isTypeOf\" function.",
                ErrorCodes.InvalidFieldResult);
        if (!ReferenceEquals(Schema.GetType(runtimeType.Name), runtimeType))
            throw new GraphQLError(
                $"Abstract type \"{abstractType.Name}\" was resolved to a type \"{runtimeType.Name}\" that does not exist inside the schema.", ErrorCodes.InvalidFieldResult);
        if (!Schema.IsSubType(abstractType, runtimeType))
            throw new GraphQLError($"Runtime Object type \"{runtimeType.Name}\" is not a possible type for \"{abstractType.Name}\".", ErrorCodes.InvalidFieldResult);
        return CompleteObject(runtimeType, site, path, result);
    }

    // graphql-js's defaultTypeResolver: a "__typename" entry, else the first possible type whose IsTypeOf accepts the value.
    private ObjectType? DefaultTypeResolver(NamedType abstractType, object value, ResolveContext context)
    {
        if (DefaultResolver.Resolve(value, "__typename") is string typeName)
            return Schema.GetType(typeName) as ObjectType;
        foreach (var candidate in Schema.GetPossibleTypes(abstractType))
            if (candidate.IsTypeOf is { } isTypeOf && isTypeOf(value, context)) return candidate;
        return null;
    }

    private ResolveContext ContextOf(FieldSite site, ResponsePath path) =>
        site.Context ?? CreateContext(site.Source, GetArguments(site.Field), site.Field.Definition!, site.ParentType, path);

    /// <summary>Where a value being completed came from: enough to build a resolve context lazily.</summary>
    private readonly record struct FieldSite(ObjectType ParentType, object? Source, CollectedField Field, ResolveContext? Context);
}

/// <summary>Thrown when null reached a non-null position: the error is already recorded, and the nearest nullable parent becomes null.</summary>
internal sealed class PropagatedNull : Exception;

/// <summary>The resolve context execution hands out, linked to its request (for data loaders and the introspection switch).</summary>
internal sealed class ExecutionResolveContext(
    RequestExecution execution,
    object? source,
    IReadOnlyDictionary<string, object?> arguments,
    FieldDefinition fieldDefinition,
    ObjectType parentType,
    ResponsePath path)
    : ResolveContext(source, arguments, fieldDefinition, parentType, execution.Schema, path, execution.Items,
        execution.Request.Services, execution.CancellationToken)
{
    public RequestExecution Execution { get; } = execution;
}
