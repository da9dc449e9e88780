using NodaTime;

namespace Records.Projections.Regulator;

/// <summary>
/// An event a finding rests on: its id, global sequence number and type. Not its stream id: a patient's stream is
/// named by the patient's id, which the regulator's default view never holds.
/// </summary>
public sealed record EvidenceLink(Guid EventId, long Sequence, string EventType);

/// <summary>
/// A breach of a rule the regulator sees: the indicator, the rule and its source, who and where, the patient
/// by pseudonym only, when, and the events that show it.
/// </summary>
/// <param name="Id">Stable: the breach's code and the record it is about (a visit counts a visit-level breach once).</param>
/// <param name="Overdue">True when the finding is that something was not done by its deadline as of the query's instant, not yet in the log.</param>
public sealed record Finding(
    string Id,
    Indicator Indicator,
    string Code,
    string Message,
    string RuleId,
    string RuleSource,
    string? InstitutionId,
    string? PractitionerId,
    string? PatientRef,
    Instant At,
    IReadOnlyList<EvidenceLink> Evidence,
    bool Overdue = false);

/// <summary>A typed failure of a regulator query: a stable code and a sentence.</summary>
public sealed class RegulatorQueryException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
