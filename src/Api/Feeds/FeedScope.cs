using System.Security.Cryptography;
using System.Text;
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

/// <summary>
/// Replaces patient identifiers with a keyed hash (HMAC-SHA256, key from configuration), so that an
/// integrator can link a patient's events without learning who the patient is.
/// </summary>
public sealed class Pseudonymizer(byte[] key)
{
    /// <summary>JSON properties that name a patient or their guardian, wherever they appear in event data.</summary>
    public static readonly IReadOnlySet<string> IdentifierProperties =
        new HashSet<string>(StringComparer.Ordinal) { "patientId", "guardianId", "grantorId", "requestedBy" };

    /// <summary>Personal data of the patient stream (实名 details) left out of a pseudonymised feed.</summary>
    public static readonly IReadOnlySet<string> PersonalProperties =
        new HashSet<string>(StringComparer.Ordinal) { "name", "contact", "identityDocumentHash", "dateOfBirth" };

    public string Pseudonym(string identifier) =>
        "p_" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(identifier)))[..32];
}
