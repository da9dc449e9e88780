using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Limits;

/// <summary>Limits how many fields an operation selects once its fragments are expanded (a fragment spread twice counts twice).</summary>
public sealed class MaxFields(ValidationContext context, int maximum) : OperationLimit(context, maximum)
{
    public const string ErrorCode = "MAX_FIELDS_EXCEEDED";

    /// <summary>The rule, for <see cref="DocumentValidator.Validate"/>'s rule list.</summary>
    public static ValidationRuleFactory Rule(int maximum) => context => new MaxFields(context, maximum);

    protected override string LimitName => "number of fields";

    protected override string Code => ErrorCode;

    protected override long MeasureField(FieldNode field, NamedType? parentType) => SaturatingAdd(1, Measure(field.SelectionSet, null));
}
