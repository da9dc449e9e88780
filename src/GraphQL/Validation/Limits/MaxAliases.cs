using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.GraphQL.Validation.Limits;

/// <summary>
/// Limits how many aliased fields an operation has once its fragments are expanded: aliases are how one request
/// asks for the same expensive field many times over.
/// </summary>
public sealed class MaxAliases(ValidationContext context, int maximum) : OperationLimit(context, maximum)
{
    public const string ErrorCode = "MAX_ALIASES_EXCEEDED";

    /// <summary>The rule, for <see cref="DocumentValidator.Validate"/>'s rule list.</summary>
    public static ValidationRuleFactory Rule(int maximum) => context => new MaxAliases(context, maximum);

    protected override string LimitName => "number of aliases";

    protected override string Code => ErrorCode;

    protected override long MeasureField(FieldNode field, NamedType? parentType) =>
        SaturatingAdd(field.Alias is null ? 0 : 1, Measure(field.SelectionSet, null));
}
