using System.Globalization;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Limits;

/// <summary>How <see cref="Cost"/> weighs an operation.</summary>
public sealed record CostOptions(long MaximumCost)
{
    /// <summary>The weight of a field that declares none.</summary>
    public int DefaultFieldCost { get; init; } = 1;

    /// <summary>The assumed length of a list field whose size no paging argument gives.</summary>
    public int DefaultListSize { get; init; } = 10;

    /// <summary>Weights of fields by <c>"Type.field"</c>, for schemas built in code; they win over <c>@cost</c> directives.</summary>
    public IReadOnlyDictionary<string, int> FieldWeights { get; init; } = new Dictionary<string, int>();

    /// <summary>Arguments whose integer value is the length of the list a field returns.</summary>
    public IReadOnlyList<string> PagingArguments { get; init; } = ["first", "last", "limit"];
}

/// <summary>
/// Limits the estimated cost of an operation. A field costs its weight, plus the cost of its sub-selection; when the
/// field returns a list, the sub-selection is paid once per item: the value of a paging argument (<c>first</c>,
/// <c>last</c>, <c>limit</c>) when written as a literal or defaulted, else <see cref="CostOptions.DefaultListSize"/>.
/// A field's weight is its entry in <see cref="CostOptions.FieldWeights"/>, else its definition's
/// <c>@cost(weight: N)</c> directive in SDL, else <see cref="CostOptions.DefaultFieldCost"/>. Fragments on abstract types are all paid for (an upper bound).
/// </summary>
public sealed class Cost(ValidationContext context, CostOptions options) : OperationLimit(context, options.MaximumCost)
{
    public const string ErrorCode = "MAX_COST_EXCEEDED";

    /// <summary>The directive that gives a field definition its weight in SDL: <c>directive @cost(weight: Int!) on FIELD_DEFINITION</c>.</summary>
    public const string CostDirectiveName = "cost";

    /// <summary>The rule, for <see cref="DocumentValidator.Validate"/>'s rule list.</summary>
    public static ValidationRuleFactory Rule(CostOptions options) => context => new Cost(context, options);

    protected override string LimitName => "cost";

    protected override string Code => ErrorCode;

    protected override long MeasureField(FieldNode field, NamedType? parentType)
    {
        var definition = parentType is null ? null : TypeInfo.GetFieldDefinition(Context.Schema, parentType, field.Name.Value);
        var weight = Weight(parentType, definition);
        var children = Measure(field.SelectionSet, definition?.Type.Named);
        if (definition?.Type.Nullable is ListType) children = SaturatingMultiply(children, ListSize(field, definition));
        return SaturatingAdd(weight, children);
    }

    private long Weight(NamedType? parentType, FieldDefinition? definition)
    {
        if (options.FieldWeights.Count > 0 && definition is not null
            && options.FieldWeights.TryGetValue(parentType!.Name + "." + definition.Name, out var configured))
            return configured;
        foreach (var directive in definition?.AstNode?.Directives ?? [])
        {
            if (directive.Name.Value != CostDirectiveName) continue;
            foreach (var argument in directive.Arguments)
                if (argument.Name.Value == "weight" && argument.Value is IntValueNode weight && long.TryParse(weight.Value, CultureInfo.InvariantCulture, out var value))
                    return value;
        }
        return options.DefaultFieldCost;
    }

    private long ListSize(FieldNode field, FieldDefinition definition)
    {
        foreach (var name in options.PagingArguments)
        {
            foreach (var argument in field.Arguments)
                if (argument.Name.Value == name && argument.Value is IntValueNode size && long.TryParse(size.Value, CultureInfo.InvariantCulture, out var literal))
                    return Math.Max(literal, 0);
            if (definition.GetArgument(name) is { HasDefaultValue: true, DefaultValue: int defaultSize }) return Math.Max(defaultSize, 0);
        }
        return options.DefaultListSize;
    }
}
