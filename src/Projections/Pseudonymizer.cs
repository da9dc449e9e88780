using System.Security.Cryptography;
using System.Text;

namespace Records.Projections;

/// <summary>
/// Names a patient by a keyed hash of their id (HMAC-SHA256, key from configuration), so that the same
/// patient links across findings, answers and feeds without anyone learning who they are. One key
/// serves the regulator view, the regulators' reads and the integrators' feeds, so the pseudonyms agree.
/// </summary>
public sealed class Pseudonymizer
{
    private readonly byte[] _key;

    /// <param name="key">At least 32 bytes from configuration; never stored with the data.</param>
    public Pseudonymizer(byte[] key)
    {
        if (key is null || key.Length < 32)
        {
            throw new ArgumentException("The pseudonymisation key must be at least 32 bytes (256 bits) from configuration.", nameof(key));
        }

        _key = [.. key];
    }

    /// <summary>Lower-case hex HMAC-SHA256 of the patient id.</summary>
    public string Of(string patientId) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(patientId)));
}
