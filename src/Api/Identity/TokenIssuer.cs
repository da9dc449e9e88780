using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using NodaTime;
using Records.Domain;

namespace Records.Api.Identity;

/// <summary>Issues bearer tokens for development and the demo (production tokens come from the hospital's identity provider).</summary>
public sealed class TokenIssuer(IdentityOptions options, IClock clock)
{
    /// <param name="grant">An integrator's feed grant (<see cref="IntegratorGrant"/>); only integrators carry one.</param>
    public string Issue(string subject, Role role, bool realNameVerified, string? name = null, Duration? lifetime = null, Feeds.FeedScope? grant = null)
    {
        if (string.IsNullOrWhiteSpace(subject)) throw new ArgumentException("A token needs a subject.", nameof(subject));
        if (!RecordsClaims.PeopleRoles.Contains(role)) throw new ArgumentException($"No person's token is issued for the role {role}.", nameof(role));
        if (grant is not null && role != Role.Integrator) throw new ArgumentException("Only an integrator's token carries a feed grant.", nameof(grant));
        var now = clock.GetCurrentInstant();
        List<Claim> claims =
        [
            new(RecordsClaims.Subject, subject),
            new(RecordsClaims.Role, RecordsClaims.RoleName(role)),
            new(RecordsClaims.RealNameVerified, realNameVerified ? "true" : "false", ClaimValueTypes.Boolean),
        ];
        if (!string.IsNullOrWhiteSpace(name)) claims.Add(new(RecordsClaims.Name, name));
        if (grant is not null) claims.AddRange(IntegratorGrant.ToClaims(grant));
        var token = new JwtSecurityToken(options.Issuer, options.Audience, claims, now.ToDateTimeUtc(), (now + (lifetime ?? Duration.FromHours(12))).ToDateTimeUtc(),
            new SigningCredentials(options.SigningKey, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
