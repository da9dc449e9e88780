namespace Records.Domain;

/// <summary>
/// Why a command was refused: a stable <paramref name="Code"/> (e.g. <c>prescription.reviewer_is_prescriber</c>),
/// a sentence a clinician understands, and the regulation rule behind it when there is one.
/// </summary>
public sealed record Rejection(string Code, string Message, RuleRef? Rule = null);

/// <summary>The rule behind a rejection or a flag: its id in the rule book and its source text.</summary>
public sealed record RuleRef(string Id, string Source);

/// <summary>
/// A rule the command broke without being stopped. It is recorded on the event, so the regulator sees it
/// (a late signature, a days' supply over the limit with a written reason...).
/// </summary>
public sealed record Flag(string Code, string Message, string RuleId, string Source);

/// <summary>The outcome of <c>Decide</c>: the events to append, or a rejection. Never both.</summary>
public sealed class Decision<TEvent>
    where TEvent : IDomainEvent
{
    private Decision(IReadOnlyList<TEvent> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    /// <summary>The events to append, in order; empty when rejected.</summary>
    public IReadOnlyList<TEvent> Events { get; }

    public Rejection? Rejection { get; }

    public bool IsAccepted => Rejection is null;

    public static Decision<TEvent> Accept(params TEvent[] events) => new(events, null);

    public static Decision<TEvent> Reject(Rejection rejection) => new([], rejection ?? throw new ArgumentNullException(nameof(rejection)));

    /// <summary>The rejection when there is one, else the events.</summary>
    public static Decision<TEvent> Unless(Rejection? rejection, params TEvent[] events) => rejection is null ? Accept(events) : Reject(rejection);

    public static implicit operator Decision<TEvent>(Rejection rejection) => Reject(rejection);

    public static implicit operator Decision<TEvent>(TEvent single) => Accept(single);

    public override string ToString() =>
        IsAccepted ? $"accepted: {string.Join(", ", Events.Select(e => e.GetType().Name))}" : $"rejected: {Rejection!.Code}";
}
