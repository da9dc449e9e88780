using System.Security.Claims;
using Records.Api.Feeds;
using Records.Domain;

namespace Records.Api.Identity;

/// <summary>
/// What an integrator's token grants on the event feeds, carried as claims beside the actor's:
/// <c>feed_event_types</c> (one claim per type or <c>prefix.*</c> pattern), <c>feed_institutions</c> (one claim per
/// institution; none: all) and <c>feed_identifiers</c> (<c>clear</c> or <c>pseudonymised</c>, the default).
/// </summary>
public static class IntegratorGrant
{
    public const string EventTypes = "feed_event_types";
    public const string Institutions = "feed_institutions";
    public const string Identifiers = "feed_identifiers";
    public const string Clear = "clear";
    public const string Pseudonymised = "pseudonymised";

    /// <summary>The claims that carry <paramref name="scope"/> in a token.</summary>
    public static IEnumerable<Claim> ToClaims(FeedScope scope) =>
    [
        .. scope.EventTypes.Select(t => new Claim(EventTypes, t)),
        .. scope.Institutions.Select(i => new Claim(Institutions, i)),
        new(Identifiers, scope.ClearIdentifiers ? Clear : Pseudonymised),
    ];

    /// <summary>
    /// The feed scope of a signed-in principal: an integrator's grant from its token; an administrator sees
    /// every event type of every institution, with patients pseudonymised (operating the feeds needs no
    /// one's identity). Anyone else, or an integrator whose token grants no event type: null.
    /// </summary>
    public static FeedScope? ScopeOf(ClaimsPrincipal principal) => RecordsClaims.ToActor(principal)?.Role switch
    {
        Role.Administrator => new FeedScope(["*"], [], ClearIdentifiers: false),
        Role.Integrator when Values(principal, EventTypes) is { Count: > 0 } types =>
            new FeedScope(types, Values(principal, Institutions), principal.FindFirst(Identifiers)?.Value == Clear),
        _ => null,
    };

    private static List<string> Values(ClaimsPrincipal principal, string type) =>
        principal.FindAll(type).Select(c => c.Value).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
}
