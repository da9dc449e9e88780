using System.IdentityModel.Tokens.Jwt;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Records.Api.Identity;

/// <summary>A request's authentication failure, answered as JSON: a stable code and a sentence.</summary>
public sealed record AuthFailure(string Code, string Message);

/// <summary>
/// JWT bearer authentication with System.IdentityModel.Tokens.Jwt: the issuer, audience and
/// HMAC-SHA256 key of <see cref="IdentityOptions"/>, a required expiry (30 s of clock skew), and
/// claims that name an actor (<see cref="RecordsClaims"/>). Missing or bad tokens get 401 with a
/// JSON body saying why.
/// </summary>
public sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IdentityOptions identity)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private static readonly object FailureKey = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Fail(new("auth.not_bearer", "Send the token as 'Authorization: Bearer <token>'."));

        var handler = new JwtSecurityTokenHandler { MapInboundClaims = false };
        var result = await handler.ValidateTokenAsync(header["Bearer ".Length..].Trim(), new TokenValidationParameters
        {
            ValidIssuer = identity.Issuer,
            ValidAudience = identity.Audience,
            IssuerSigningKey = identity.SigningKey,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = RecordsClaims.Subject,
            RoleClaimType = RecordsClaims.Role,
        });
        if (!result.IsValid) return Fail(Why(result.Exception));
        var principal = new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity);
        return RecordsClaims.ToActor(principal) is null
            ? Fail(new("auth.invalid_claims", "The token does not name a subject with a known role."))
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureKey] as AuthFailure
            ?? new AuthFailure("auth.missing_token", "Sign in: send a bearer token in the Authorization header.");
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{failure.Code}\"";
        await Response.WriteAsJsonAsync(failure);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(new AuthFailure("auth.forbidden", "Your role may not do this."));
    }

    private AuthenticateResult Fail(AuthFailure failure)
    {
        Context.Items[FailureKey] = failure;
        return AuthenticateResult.Fail(failure.Message);
    }

    private static AuthFailure Why(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => new("auth.token_expired", "The token has expired: get a new one."),
        SecurityTokenNotYetValidException => new("auth.token_not_yet_valid", "The token is not valid yet."),
        SecurityTokenInvalidAudienceException => new("auth.wrong_audience", "The token was issued for another service."),
        SecurityTokenInvalidIssuerException => new("auth.wrong_issuer", "The token was issued by an issuer this service does not trust."),
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            new("auth.invalid_signature", "The token's signature does not verify."),
        SecurityTokenNoExpirationException => new("auth.no_expiry", "The token has no expiry."),
        _ => new("auth.invalid_token", "The token is not a valid bearer token."),
    };
}
