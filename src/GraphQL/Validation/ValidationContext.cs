using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation;

/// <summary>A use of a variable, with the input type expected where it is used (graphql-js's VariableUsage).</summary>
public readonly record struct VariableUsage(VariableNode Node, GraphQLType? Type, bool HasLocationDefaultValue, GraphQLType? ParentType);

/// <summary>
/// What the rules of one validation share: the schema, the document, the <see cref="TypeInfo"/> of the node being
/// visited, the walker's ancestors, lookups of fragments and variable usages (computed once, cached), and the error sink.
/// </summary>
public sealed class ValidationContext
{
    private readonly List<GraphQLError> _errors;
    private readonly int _maxErrors;
    private Dictionary<string, FragmentDefinitionNode>? _fragments;
    private readonly Dictionary<SelectionSetNode, List<FragmentSpreadNode>> _fragmentSpreads = [];
    private readonly Dictionary<OperationDefinitionNode, List<FragmentDefinitionNode>> _recursivelyReferencedFragments = [];
    private readonly Dictionary<Node, List<VariableUsage>> _variableUsages = [];
    private readonly Dictionary<OperationDefinitionNode, List<VariableUsage>> _recursiveVariableUsages = [];
    private List<VariableUsage>? _currentVariableUsages;
    private bool _inVariableDefinition;

    internal ValidationContext(Schema schema, DocumentNode document, List<GraphQLError> errors, int maxErrors, bool hideSuggestions)
    {
        HideSuggestions = hideSuggestions;
        Schema = schema;
        Document = document;
        TypeInfo = new TypeInfo(schema);
        _errors = errors;
        _maxErrors = maxErrors;
    }

    public Schema Schema { get; }

    public DocumentNode Document { get; }

    /// <summary>Whether messages leave out "Did you mean …?" hints, which reveal names of the schema (e.g. when introspection is off).</summary>
    public bool HideSuggestions { get; }

    /// <summary>The "Did you mean …?" hint for a message, or "" when there is none or suggestions are hidden.</summary>
    public string DidYouMean(IReadOnlyList<string> suggestions, string? subMessage = null) =>
        HideSuggestions ? "" : Suggestions.DidYouMean(suggestions, subMessage);

    /// <summary>The schema elements of the node being visited.</summary>
    public TypeInfo TypeInfo { get; }

    /// <summary>The walk in progress: <see cref="AstWalker.Parent"/> and <see cref="AstWalker.Ancestors"/> of the node being visited.</summary>
    public AstWalker Walker { get; } = new();

    /// <summary>Reports an error; past the maximum number of errors, validation is aborted.</summary>
    public void ReportError(string message, params ReadOnlySpan<Node?> nodes) =>
        ReportError(message, DocumentValidator.ValidationFailedCode, nodes);

    /// <summary>Reports an error with its own code (the limits use theirs).</summary>
    public void ReportError(string message, string code, params ReadOnlySpan<Node?> nodes)
    {
        if (_errors.Count >= _maxErrors)
        {
            _errors.Add(new GraphQLError(
                "Too many validation errors, error limit reached. Validation aborted.", DocumentValidator.ValidationFailedCode));
            throw new ValidationAbortedException();
        }
        var locations = new List<SourceLocation>(nodes.Length);
        foreach (var node in nodes)
            if (node?.Location is { } location) locations.Add(location.StartLocation);
        _errors.Add(new GraphQLError(message, code, locations));
    }

    /// <summary>The fragment definition of that name (the first, when the name is defined twice), or null.</summary>
    public FragmentDefinitionNode? GetFragment(string name)
    {
        if (_fragments is null)
        {
            _fragments = [];
            foreach (var definition in Document.Definitions)
                if (definition is FragmentDefinitionNode fragment) _fragments.TryAdd(fragment.Name.Value, fragment);
        }
        return _fragments.GetValueOrDefault(name);
    }

    /// <summary>The fragment spreads within a selection set, including inside its inline fragments and fields.</summary>
    public IReadOnlyList<FragmentSpreadNode> GetFragmentSpreads(SelectionSetNode selectionSet)
    {
        if (_fragmentSpreads.TryGetValue(selectionSet, out var spreads)) return spreads;
        spreads = [];
        var pending = new Stack<SelectionSetNode>();
        pending.Push(selectionSet);
        while (pending.Count > 0)
        {
            foreach (var selection in pending.Pop().Selections)
            {
                switch (selection)
                {
                    case FragmentSpreadNode spread:
                        spreads.Add(spread);
                        break;
                    case FieldNode { SelectionSet: { } fieldSelections }:
                        pending.Push(fieldSelections);
                        break;
                    case InlineFragmentNode inline:
                        pending.Push(inline.SelectionSet);
                        break;
                }
            }
        }
        _fragmentSpreads[selectionSet] = spreads;
        return spreads;
    }

    /// <summary>Every defined fragment an operation spreads, directly or through other fragments, each once.</summary>
    public IReadOnlyList<FragmentDefinitionNode> GetRecursivelyReferencedFragments(OperationDefinitionNode operation)
    {
        if (_recursivelyReferencedFragments.TryGetValue(operation, out var fragments)) return fragments;
        fragments = [];
        var collected = new HashSet<string>();
        var pending = new Stack<SelectionSetNode>();
        pending.Push(operation.SelectionSet);
        while (pending.Count > 0)
        {
            foreach (var spread in GetFragmentSpreads(pending.Pop()))
            {
                if (!collected.Add(spread.Name.Value) || GetFragment(spread.Name.Value) is not { } fragment) continue;
                fragments.Add(fragment);
                pending.Push(fragment.SelectionSet);
            }
        }
        _recursivelyReferencedFragments[operation] = fragments;
        return fragments;
    }

    /// <summary>
    /// The variables used within an operation or fragment (not through spreads), with their expected types. The
    /// validator's walk records them as it passes; a definition it has not yet left is walked on its own.
    /// </summary>
    public IReadOnlyList<VariableUsage> GetVariableUsages(ExecutableDefinitionNode node)
    {
        if (_variableUsages.TryGetValue(node, out var usages)) return usages;
        var collector = new VariableUsageCollector(Schema);
        new AstWalker().Run(node, collector);
        _variableUsages[node] = collector.Usages;
        return collector.Usages;
    }

    /// <summary>The variables an operation uses, directly or in the fragments it spreads.</summary>
    public IReadOnlyList<VariableUsage> GetRecursiveVariableUsages(OperationDefinitionNode operation)
    {
        if (_recursiveVariableUsages.TryGetValue(operation, out var usages)) return usages;
        usages = [.. GetVariableUsages(operation)];
        foreach (var fragment in GetRecursivelyReferencedFragments(operation)) usages.AddRange(GetVariableUsages(fragment));
        _recursiveVariableUsages[operation] = usages;
        return usages;
    }

    // Called by the validator's walk, after TypeInfo has entered the node: records variable usages as
    // VariableUsageCollector would, sparing rules a second walk of the document.
    internal void EnterForVariableUsages(Node node)
    {
        switch (node)
        {
            case OperationDefinitionNode or FragmentDefinitionNode:
                _currentVariableUsages = [];
                break;
            case VariableDefinitionNode:
                _inVariableDefinition = true;
                break;
            case VariableNode variable when _currentVariableUsages is not null && !_inVariableDefinition:
                _currentVariableUsages.Add(new VariableUsage(variable, TypeInfo.InputType, TypeInfo.HasDefaultValue, TypeInfo.ParentInputType));
                break;
        }
    }

    internal void LeaveForVariableUsages(Node node)
    {
        switch (node)
        {
            case ExecutableDefinitionNode definition when _currentVariableUsages is not null:
                _variableUsages.TryAdd(definition, _currentVariableUsages);
                _currentVariableUsages = null;
                break;
            case VariableDefinitionNode:
                _inVariableDefinition = false;
                break;
        }
    }

    // Walks one definition with its own TypeInfo to learn the type expected at each variable.
    private sealed class VariableUsageCollector(Schema schema) : AstVisitor
    {
        private readonly TypeInfo _typeInfo = new(schema);

        public List<VariableUsage> Usages { get; } = [];

        public override VisitAction Enter(Node node, AstWalker walker)
        {
            // Variable definitions declare variables; they do not use them.
            if (node is VariableDefinitionNode) return VisitAction.Skip;
            _typeInfo.Enter(node);
            if (node is VariableNode variable)
                Usages.Add(new VariableUsage(variable, _typeInfo.InputType, _typeInfo.HasDefaultValue, _typeInfo.ParentInputType));
            return VisitAction.Continue;
        }

        public override void Leave(Node node, AstWalker walker) => _typeInfo.Leave(node);
    }
}

/// <summary>Thrown inside a validation to stop it when the maximum number of errors is reached.</summary>
internal sealed class ValidationAbortedException : Exception;
