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
        EventTypes.Any(pattern => Covers(pattern, recorded.EventType)) &&
        (Institutions.Count == 0 || (recorded.Metadata.InstitutionId is { } institution && Institutions.Contains(institution)));

    /// <summary>
    /// This grant narrowed to a filter (event types or patterns, institutions; null or empty: as granted), with the
    /// grant's identifiers. A filter that reaches outside the grant is refused, never silently widened or cut.
    /// </summary>
    /// <exception cref="FeedException"><c>outside_grant</c>: a type or institution the grant does not cover.</exception>
    public FeedScope Narrow(IReadOnlyList<string>? eventTypes, IReadOnlyList<string>? institutions)
    {
        var types = eventTypes is { Count: > 0 } ? eventTypes : EventTypes;
        if (types.FirstOrDefault(t => !EventTypes.Any(g => Covers(g, t))) is { } outsideType)
            throw new FeedException("outside_grant", $"The event type '{outsideType}' is outside this integrator's grant ({string.Join(", ", EventTypes)}).");
        var places = institutions is { Count: > 0 } ? institutions : Institutions;
        if (Institutions.Count > 0 && places.FirstOrDefault(i => !Institutions.Contains(i)) is { } outsidePlace)
            throw new FeedException("outside_grant", $"The institution '{outsidePlace}' is outside this integrator's grant ({string.Join(", ", Institutions)}).");
        return new FeedScope(types, places, ClearIdentifiers);
    }

    /// <summary>Whether a granted pattern covers an event type, or a narrower pattern (<c>prescription.*</c> covers <c>prescription.approved.*</c>).</summary>
    private static bool Covers(string pattern, string type) =>
        pattern == "*" || pattern == type || (pattern.EndsWith('*') && type.StartsWith(pattern[..^1], StringComparison.Ordinal));
}
