using System.Runtime.CompilerServices;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Execution;

/// <summary>
/// Executes requests (spec section 6 "Execution"): <see cref="ExecuteAsync"/> for queries and mutations,
/// <see cref="SubscribeAsync"/> for subscriptions. The document must already be validated; the schema must be valid.
/// </summary>
public static class Executor
{
    /// <summary>
    /// Runs a query or mutation. Request errors (no such operation, bad variables, timeout) give a result without data;
    /// field errors are in <see cref="ExecutionResult.Errors"/> beside the data. Throws <see cref="OperationCanceledException"/>
    /// only when the request's own token is cancelled.
    /// </summary>
    public static ValueTask<ExecutionResult> ExecuteAsync(ExecutionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Prepare(request, out var failure) is not { } prepared) return new(failure!);
        if (prepared.Operation.Operation == OperationType.Subscription)
            return new(ExecutionResult.FromErrors(new GraphQLError(
                "Subscription operations must be executed with SubscribeAsync.", ErrorCodes.OperationNotSupported, [prepared.Operation])));
        return Execute(request, prepared);
    }

    /// <summary>
    /// Runs a subscription (spec 6.2.3): creates the source stream with the root field's <see cref="FieldDefinition.Subscribe"/>,
    /// then executes the selection set for each event (MapSourceToResponseEvent). When the subscription cannot start, the stream
    /// yields one result without data (a request error) and ends; a transport should send that as its "error" message.
    /// </summary>
    public static async IAsyncEnumerable<ExecutionResult> SubscribeAsync(
        ExecutionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // One bag for the whole subscription: what the source stream's resolver keeps there, and the host's context
        // (the signed-in user), reach every event's resolvers.
        request = request.Items is null ? request with { Items = RequestExecution.NewItems() } : request;
        var (stream, failure, source) = await CreateSourceEventStream(request).ConfigureAwait(false);
        if (failure is not null)
        {
            yield return failure;
            yield break;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(request.CancellationToken, cancellationToken);
        await foreach (var payload in stream!.WithCancellation(cancellation.Token).ConfigureAwait(false))
        {
            var eventRequest = request with
            {
                RootValue = payload,
                DocumentIsReused = true, // every event executes the same document: its field plans are made once
                CancellationToken = cancellation.Token,
            };
            yield return await Execute(eventRequest, source!).ConfigureAwait(false);
        }
    }

    // ExecuteQuery / ExecuteMutation / ExecuteSubscriptionEvent once the operation and its variables are known.
    private static async ValueTask<ExecutionResult> Execute(ExecutionRequest request, Prepared prepared)
    {
        using var timeout = StartTimeout(request);
        var execution = new RequestExecution(request, prepared.Fragments, prepared.Variables, timeout?.Token ?? request.CancellationToken);
        try
        {
            var data = await Run(execution, prepared.Operation, prepared.RootType, request.RootValue).ConfigureAwait(false);
            return ExecutionResult.FromData(data, execution.Errors);
        }
        catch (OperationCanceledException) when (timeout is { IsCancellationRequested: true } && !request.CancellationToken.IsCancellationRequested)
        {
            return TimedOut(request);
        }
        catch (GraphQLError error)
        {
            // A root @skip/@include with an unusable condition: nothing ran.
            return ExecutionResult.FromErrors(error);
        }
    }

    private static async ValueTask<(IAsyncEnumerable<object?>? Stream, ExecutionResult? Failure, Prepared? Source)> CreateSourceEventStream(ExecutionRequest request)
    {
        if (Prepare(request, out var failure) is not { } prepared) return (null, failure, null);
        var (operation, rootType, fragments, variables) = prepared;
        if (operation.Operation != OperationType.Subscription)
            return (null, ExecutionResult.FromErrors(new GraphQLError(
                $"Only subscription operations can be subscribed to; this is a {operation.Operation.ToString().ToLowerInvariant()}.",
                ErrorCodes.OperationNotSupported, [operation])), null);

        var execution = new RequestExecution(request, fragments, variables, request.CancellationToken);
        FieldPlan plan;
        try
        {
            plan = execution.GetPlan(rootType, operation.SelectionSet, [operation.SelectionSet], shareable: true);
        }
        catch (GraphQLError error)
        {
            return (null, ExecutionResult.FromErrors(error), null);
        }
        if (plan.Fields.Length == 0 || plan.Fields[0].Definition is not { } definition)
        {
            var name = plan.Fields.Length == 0 ? "" : plan.Fields[0].Nodes[0].Name.Value;
            return (null, ExecutionResult.FromErrors(new GraphQLError(
                $"The subscription field \"{name}\" is not defined.", ErrorCodes.OperationNotSupported, [operation])), null);
        }

        var field = plan.Fields[0];
        var path = new ResponsePath(null, field.ResponseKey);
        try
        {
            var arguments = Values.CoerceArgumentValues(definition.Arguments, field.Nodes[0].Arguments, variables, field.Nodes[0]);
            var context = new ExecutionResolveContext(execution, request.RootValue, arguments, definition, rootType, path);
            var stream = definition.Subscribe is { } subscribe
                ? await subscribe(context).ConfigureAwait(false)
                : DefaultResolver.Resolve(request.RootValue, definition.Name);
            if (stream is not IAsyncEnumerable<object?> events)
                throw new GraphQLError($"Subscription field must return AsyncIterable. Received: {Inspect.Value(stream)}.", ErrorCodes.InvalidFieldResult);
            return (events, null, prepared);
        }
        catch (Exception e) when (e is not OperationCanceledException || !request.CancellationToken.IsCancellationRequested)
        {
            return (null, ExecutionResult.FromErrors(execution.ToFieldError(e, field.Nodes, path)), null);
        }
    }

    // Runs the root selection set. Data loader batching relies on resolver continuations running inline when a batch
    // completes, so the next wave of keys is queued before the next dispatch; a caller's synchronization context or task
    // scheduler (UI, test runners) would queue them instead, so there the execution starts under the default ones.
    private static ValueTask<ResultMap?> Run(RequestExecution execution, OperationDefinitionNode operation, ObjectType rootType, object? rootValue)
    {
        if (SynchronizationContext.Current is null && TaskScheduler.Current == TaskScheduler.Default)
            return RunHere(execution, operation, rootType, rootValue);

        var callerContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var start = new Task<ValueTask<ResultMap?>>(() => RunHere(execution, operation, rootType, rootValue));
            start.RunSynchronously(TaskScheduler.Default);
            return start.Result;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(callerContext);
        }
    }

    private static async ValueTask<ResultMap?> RunHere(RequestExecution execution, OperationDefinitionNode operation, ObjectType rootType, object? rootValue)
    {
        try
        {
            var running = execution.ExecuteRoot(operation, rootType, rootValue);
            return running.IsCompletedSuccessfully ? running.Result : await execution.RunToCompletion(running).ConfigureAwait(false);
        }
        catch (PropagatedNull)
        {
            return null;
        }
    }

    private sealed record Prepared(
        OperationDefinitionNode Operation,
        ObjectType RootType,
        Dictionary<string, FragmentDefinitionNode> Fragments,
        IReadOnlyDictionary<string, object?> Variables);

    // GetOperation (spec 6.1) and CoerceVariableValues; on failure, a request error result.
    private static Prepared? Prepare(ExecutionRequest request, out ExecutionResult? failure)
    {
        failure = null;
        var errors = new List<GraphQLError>();
        OperationDefinitionNode? operation = null;
        var fragments = new Dictionary<string, FragmentDefinitionNode>();
        var operations = 0;
        foreach (var definition in request.Document.Definitions)
        {
            switch (definition)
            {
                case OperationDefinitionNode candidate:
                    operations++;
                    if (request.OperationName is null ? operation is null : candidate.Name?.Value == request.OperationName)
                        operation ??= candidate;
                    break;
                case FragmentDefinitionNode fragment:
                    fragments.TryAdd(fragment.Name.Value, fragment);
                    break;
            }
        }

        if (operation is null)
        {
            errors.Add(new GraphQLError(request.OperationName is null ? "Must provide an operation." : $"Unknown operation named \"{request.OperationName}\".",
                ErrorCodes.OperationNotFound));
        }
        else if (request.OperationName is null && operations > 1)
        {
            errors.Add(new GraphQLError("Must provide operation name if query contains multiple operations.", ErrorCodes.OperationNotFound));
        }
        else if (request.Schema.GetRootType(operation.Operation) is not { } rootType)
        {
            errors.Add(new GraphQLError($"Schema is not configured to execute {operation.Operation.ToString().ToLowerInvariant()} operation.",
                ErrorCodes.OperationNotSupported, [operation]));
        }
        else
        {
            var variables = Values.CoerceVariableValues(request.Schema, operation.VariableDefinitions, request.Variables, errors);
            if (errors.Count == 0) return new Prepared(operation, rootType, fragments, variables);
        }
        failure = ExecutionResult.FromErrors(errors);
        return null;
    }

    private static CancellationTokenSource? StartTimeout(ExecutionRequest request)
    {
        if (request.Timeout is not { } limit) return null;
        var source = CancellationTokenSource.CreateLinkedTokenSource(request.CancellationToken);
        source.CancelAfter(limit);
        return source;
    }

    private static ExecutionResult TimedOut(ExecutionRequest request) =>
        ExecutionResult.FromErrors(new GraphQLError(
            $"Execution exceeded the time limit of {request.Timeout!.Value.TotalMilliseconds:0} ms.",
            ErrorCodes.ExecutionTimeout,
            extensions: new Dictionary<string, object?> { ["limitMs"] = request.Timeout.Value.TotalMilliseconds }));
}
