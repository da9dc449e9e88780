using System.Security.Cryptography;
using System.Text;

namespace Records.Api.Access;

/// <summary>
/// Regulators' pseudonyms: HMAC-SHA256 of an id under the configured key, so the same patient has
/// the same pseudonym across answers (indicators can be followed) but the id cannot be recovered
/// without the key.
/// </summary>
public sealed class Pseudonyms(AccessOptions options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.PseudonymKey.Length >= 32
        ? options.PseudonymKey
        : throw new ArgumentException("The pseudonym key must be at least 32 characters long.", nameof(options)));

    public string Of(string id) => "psn-" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(id)))[..32];
}
