using Records.EventStore;

namespace Records.Api.Feeds;

/// <summary>
/// What an integrator is granted: which event types (exact names or prefixes ending in <c>*</c>,
/// e.g. <c>prescription.*</c>), which institutions (none listed: all), and whether patient
/// identifiers come in clear or pseudonymised.
/// </summary>
public sealed record FeedScope(IReadOnlyList<string> EventTypes, IReadOnlyList<string> Institutions, bool ClearIdentifiers)
{
    public bool Allows(RecordedEvent recorded) =>
        EventTypes.Any(pattern => Matches(pattern, recorded.EventType)) &&
        (Institutions.Count == 0 || (recorded.Metadata.InstitutionId is { } institution && Institutions.Contains(institution)));

    private static bool Matches(string pattern, string eventType) =>
        pattern == "*" || pattern == eventType || (pattern.EndsWith('*') && eventType.StartsWith(pattern[..^1], StringComparison.Ordinal));
}
