using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Limits;

/// <summary>
/// A protective limit (not a specification rule): measures each operation with its fragments expanded and reports
/// an error with the limit's own code when the measure exceeds the maximum. Each fragment is measured once per
/// validation, so documents that spread fragments many times over are measured in linear time; measures saturate
/// at <see cref="long.MaxValue"/> instead of overflowing.
/// </summary>
public abstract class OperationLimit : ValidationRule
{
    private readonly Dictionary<string, long> _fragmentMeasures = [];
    private readonly HashSet<string> _measuring = [];

    protected OperationLimit(ValidationContext context, long maximum) : base(context)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maximum);
        Maximum = maximum;
    }

    /// <summary>The largest measure allowed.</summary>
    public long Maximum { get; }

    /// <summary>What is measured, as the message names it, e.g. "depth".</summary>
    protected abstract string LimitName { get; }

    /// <summary>The error's <c>extensions.code</c>, e.g. <c>MAX_DEPTH_EXCEEDED</c>.</summary>
    protected abstract string Code { get; }

    /// <summary>Whether a selection set measures as its largest selection (depth) rather than the sum of them.</summary>
    protected virtual bool TakesMaximum => false;

    public sealed override NodeKinds Visits => NodeKinds.OperationDefinition;

    public sealed override VisitAction Enter(Node node)
    {
        if (node is OperationDefinitionNode operation)
        {
            var value = Measure(operation.SelectionSet, Context.Schema.GetRootType(operation.Operation));
            if (value > Maximum)
            {
                var subject = operation.Name is { } name ? $"Operation \"{name.Value}\"" : "The operation";
                Context.ReportError($"{subject} exceeds the maximum {LimitName}: {value}, where at most {Maximum} is allowed.", Code, operation);
            }
        }
        return VisitAction.Skip;
    }

    /// <summary>The measure of one field selected on <paramref name="parentType"/> (null when unknown), including its sub-selection.</summary>
    protected abstract long MeasureField(FieldNode field, NamedType? parentType);

    /// <summary>The measure of a selection set: its fields, inline fragments and spread fragments combined.</summary>
    protected long Measure(SelectionSetNode? selectionSet, NamedType? parentType)
    {
        if (selectionSet is null) return 0;
        long total = 0;
        foreach (var selection in selectionSet.Selections)
        {
            var value = selection switch
            {
                FieldNode field => MeasureField(field, parentType),
                InlineFragmentNode inline => Measure(
                    inline.SelectionSet, inline.TypeCondition is { } condition ? TypeInfo.GetNamedType(Context.Schema, condition.Name.Value) : parentType),
                FragmentSpreadNode spread => MeasureFragment(spread.Name.Value),
                _ => 0,
            };
            total = TakesMaximum ? Math.Max(total, value) : SaturatingAdd(total, value);
        }
        return total;
    }

    protected static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    protected static long SaturatingMultiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    // Unknown fragments measure 0, as does a fragment inside itself: both are specification errors reported elsewhere.
    private long MeasureFragment(string name)
    {
        if (_fragmentMeasures.TryGetValue(name, out var known)) return known;
        if (Context.GetFragment(name) is not { } fragment || !_measuring.Add(name)) return 0;
        var value = Measure(fragment.SelectionSet, TypeInfo.GetNamedType(Context.Schema, fragment.TypeCondition.Name.Value));
        _measuring.Remove(name);
        _fragmentMeasures[name] = value;
        return value;
    }
}
