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

    /// <summary>Called before the node's children; <see cref="VisitAction.Skip"/> skips them for this rule only.</summary>
    public virtual VisitAction Enter(Node node) => VisitAction.Continue;

    /// <summary>Called after the node's children (not for nodes this rule skipped).</summary>
    public virtual void Leave(Node node)
    {
    }
}

/// <summary>Creates a rule for one validation.</summary>
public delegate ValidationRule ValidationRuleFactory(ValidationContext context);
