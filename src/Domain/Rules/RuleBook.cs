namespace Records.Domain.Rules;

/// <summary>
/// All configured rules. <see cref="Find"/> answers which variant of a rule holds at a place and instant:
/// the most specific jurisdiction (institution, then province, then national) whose effective period
/// contains the instant. No variant means the rule is not in force there and then.
/// </summary>
public sealed class RuleBook
{
    private readonly ILookup<string, Rule> byId;

    public RuleBook(IEnumerable<Rule> rules)
    {
        Rules = rules.ToList();
        foreach (var clash in Rules.GroupBy(r => (r.Id, r.Jurisdiction)))
        {
            var variants = clash.ToList();
            for (var i = 0; i < variants.Count; i++)
            {
                for (var j = i + 1; j < variants.Count; j++)
                {
                    if (Overlap(variants[i].Effective, variants[j].Effective))
                    {
                        throw new ArgumentException($"Rule {clash.Key.Id} has two variants for {clash.Key.Jurisdiction} in force at the same time.", nameof(rules));
                    }
                }
            }
        }

        byId = Rules.ToLookup(r => r.Id);
    }

    public IReadOnlyList<Rule> Rules { get; }

    public Rule? Find(string ruleId, Place place, Instant at) =>
        byId[ruleId]
            .Where(r => r.Effective.Contains(at))
            .Select(r => (Rule: r, Specificity: r.Jurisdiction.SpecificityAt(place)))
            .Where(c => c.Specificity >= 0)
            .OrderByDescending(c => c.Specificity)
            .Select(c => c.Rule)
            .FirstOrDefault();

    /// <summary>A new book with <paramref name="more"/> added (a province variant, a pilot, an institution's own rule).</summary>
    public RuleBook With(params Rule[] more) => new(Rules.Concat(more));

    private static bool Overlap(Interval a, Interval b) =>
        (!a.HasEnd || !b.HasStart || b.Start < a.End) && (!b.HasEnd || !a.HasStart || a.Start < b.End);
}

/// <summary>The rule book as seen from one place: what deciders consult.</summary>
public sealed record Regulation(RuleBook Book, Place Place)
{
    public Rule? InForce(string ruleId, Instant at) => Book.Find(ruleId, Place, at);
}

/// <summary>
/// Collects the outcome of a command's rule checks: the first breach of a stopping rule becomes the
/// rejection, breaches of flagging rules become flags. A rule not in force is not checked.
/// </summary>
public sealed class Findings(Regulation regulation, Instant at)
{
    private readonly List<Flag> flags = [];

    public Rejection? Rejection { get; private set; }

    public IReadOnlyList<Flag> Flags => flags;

    /// <summary>The rule's variant in force, for its parameters; null when it is not in force.</summary>
    public Rule? Rule(string ruleId) => regulation.InForce(ruleId, at);

    /// <summary>Records that the command breaks <paramref name="ruleId"/>; what that does depends on the rule's kind.</summary>
    public void Breach(string ruleId, string code, string message)
    {
        if (Rule(ruleId) is { } rule)
        {
            Breach(rule, code, message);
        }
    }

    public void Breach(Rule rule, string code, string message)
    {
        if (rule.Kind == RuleKind.Stops)
        {
            Rejection ??= rule.Reject(code, message);
        }
        else
        {
            flags.Add(rule.Flag(code, message));
        }
    }

    /// <summary>
    /// The decision: the rejection if a stopping rule was breached, else the event built with the flags raised, so
    /// that no flag can be lost whatever kind the rule book gives a rule.
    /// </summary>
    public Decision<TEvent> Decide<TEvent>(Func<IReadOnlyList<Flag>, TEvent> @event)
        where TEvent : IDomainEvent =>
        Rejection is { } rejection ? rejection : Decision<TEvent>.Accept(@event(Flags));

    /// <summary>A breach of a rule that stops whatever its configured kind (the command cannot be recorded truthfully otherwise).</summary>
    public void Stop(string ruleId, string code, string message)
    {
        if (Rule(ruleId) is { } rule)
        {
            Rejection ??= rule.Reject(code, message);
        }
    }
}
