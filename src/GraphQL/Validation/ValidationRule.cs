using Records.GraphQL.Language;

namespace Records.GraphQL.Validation;

/// <summary>
/// One validation rule: a visitor over the document that reports errors to its <see cref="Context"/>. A rule
/// instance serves one validation (it may keep state); the validator creates them through a
/// <see cref="ValidationRuleFactory"/> and walks the document once for all of them. When a rule's
/// <see cref="Enter"/> runs, <see cref="ValidationContext.TypeInfo"/> already describes the node.
/// </summary>
public abstract class ValidationRule(ValidationContext context)
{
    protected ValidationContext Context { get; } = context;

    /// <summary>The kinds of node this rule is shown; the validator does not call it for others, which keeps the walk cheap.</summary>
    public virtual NodeKinds Visits => NodeKinds.All;

    /// <summary>Called before the node's children; <see cref="VisitAction.Skip"/> skips them for this rule only.</summary>
    public virtual VisitAction Enter(Node node) => VisitAction.Continue;

    /// <summary>Called after the node's children (not for nodes this rule skipped).</summary>
    public virtual void Leave(Node node)
    {
    }
}

/// <summary>Creates a rule for one validation.</summary>
public delegate ValidationRule ValidationRuleFactory(ValidationContext context);

/// <summary>Kinds of node a <see cref="ValidationRule"/> can ask to be shown.</summary>
[Flags]
public enum NodeKinds
{
    None = 0,
    Document = 1 << 0,
    OperationDefinition = 1 << 1,
    VariableDefinition = 1 << 2,
    SelectionSet = 1 << 3,
    Field = 1 << 4,
    Argument = 1 << 5,
    FragmentSpread = 1 << 6,
    InlineFragment = 1 << 7,
    FragmentDefinition = 1 << 8,
    Directive = 1 << 9,
    Variable = 1 << 10,

    /// <summary>Literal values: lists, objects and their fields, null, enum, numbers, strings, booleans.</summary>
    Value = 1 << 11,

    /// <summary>Type references (named, list and non-null types).</summary>
    TypeReference = 1 << 12,

    /// <summary>Type system definitions and extensions and their parts.</summary>
    TypeSystem = 1 << 13,

    All = (1 << 14) - 1,
}
