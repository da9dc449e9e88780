using Microsoft.IdentityModel.Tokens;
using Records.Api.Hosting;

namespace Records.Api.Identity;

/// <summary>
/// Who issues the tokens this host accepts, for whom, and the key they are signed with (HMAC-SHA256).
/// From Records:Identity:{Issuer, Audience, SigningKey}; without a configured key a development key
/// is generated once in the data folder (<c>identity-signing-key</c>).
/// </summary>
public sealed record IdentityOptions(string Issuer, string Audience, SymmetricSecurityKey SigningKey)
{
    public const string DefaultIssuer = "records";
    public const string DefaultAudience = "records-api";

    public static IdentityOptions From(IConfiguration configuration)
    {
        var key = configuration["Records:Identity:SigningKey"] is { Length: > 0 } configured
            ? configured
            : DataFolder.Secret(DataFolder.Path(configuration), "identity-signing-key", 32);
        var bytes = System.Text.Encoding.UTF8.GetBytes(key);
        if (bytes.Length < 32)
            throw new InvalidOperationException("Records:Identity:SigningKey must be at least 32 bytes long (HMAC-SHA256).");
        return new IdentityOptions(
            configuration["Records:Identity:Issuer"] is { Length: > 0 } issuer ? issuer : DefaultIssuer,
            configuration["Records:Identity:Audience"] is { Length: > 0 } audience ? audience : DefaultAudience,
            new SymmetricSecurityKey(bytes));
    }
}
