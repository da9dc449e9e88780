using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Limits;

/// <summary>Limits how deeply an operation nests fields, through fragments: <c>{ a { b } }</c> has depth 2.</summary>
public sealed class MaxDepth(ValidationContext context, int maximum) : OperationLimit(context, maximum)
{
    public const string ErrorCode = "MAX_DEPTH_EXCEEDED";

    /// <summary>The rule, for <see cref="DocumentValidator.Validate"/>'s rule list.</summary>
    public static ValidationRuleFactory Rule(int maximum) => context => new MaxDepth(context, maximum);

    protected override string LimitName => "depth";

    protected override string Code => ErrorCode;

    protected override bool TakesMaximum => true;

    protected override long MeasureField(FieldNode field, NamedType? parentType) =>
        1 + Measure(field.SelectionSet, FieldType(parentType, field)?.Named);

    private NamedType? FieldType(NamedType? parentType, FieldNode field) =>
        parentType is null ? null : TypeInfo.GetFieldDefinition(Context.Schema, parentType, field.Name.Value)?.Type.Named;
}
