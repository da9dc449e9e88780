using System.Security.Claims;
using Records.Domain;
using Records.Projections.Streams;

namespace Records.Api.Identity;

/// <summary>
/// The claims of a Records token: <c>sub</c> (the person's id, as the records name them), <c>role</c>
/// (one of the people's roles of ARCHITECTURE.md, written as events store it: <c>physician</c>,
/// <c>qualityManager</c>...), <c>real_name_verified</c> (实名认证 done by the identity provider), and
/// optionally <c>name</c>.
/// </summary>
public static class RecordsClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string RealNameVerified = "real_name_verified";
    public const string Name = "name";

    /// <summary>The roles a person's token may carry; machine principals (service, AI) get no person's token.</summary>
    public static IReadOnlyList<Domain.Role> PeopleRoles { get; } = Enum.GetValues<Domain.Role>().Where(r => r is not (Domain.Role.Service or Domain.Role.Ai)).ToList();

    /// <summary>A role from its name, ignoring case, spaces, hyphens and underscores (<c>quality-manager</c>, <c>qualityManager</c>).</summary>
    public static Domain.Role? ParseRole(string? text)
    {
        var key = new string((text ?? "").Where(char.IsLetter).ToArray());
        return PeopleRoles.Cast<Domain.Role?>().FirstOrDefault(r => string.Equals(r.ToString(), key, StringComparison.OrdinalIgnoreCase));
    }

    public static string RoleName(Domain.Role role) => DomainStore.RoleName(role);

    /// <summary>The actor an authenticated principal acts as; null when its claims do not name one.</summary>
    public static Actor? ToActor(ClaimsPrincipal principal) =>
        principal.FindFirst(Subject)?.Value is { Length: > 0 } id && ParseRole(principal.FindFirst(Role)?.Value) is { } role
            ? new Actor(id, role, principal.FindFirst(RealNameVerified)?.Value == "true")
            : null;
}
