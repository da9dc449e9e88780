using NodaTime;
using Records.Projections.Access;

namespace Records.Api.Access;

/// <summary>Access settings, from the <c>Records:Access</c> configuration section.</summary>
public sealed class AccessOptions
{
    /// <summary>How long a care relationship lasts after its record ends (<see cref="CareLedger"/>): follow-up questions, results.</summary>
    public Duration RecentCare { get; init; } = CareLedger.DefaultRecentCare;

    /// <summary>The HMAC key regulators' pseudonyms are made with (32+ characters; from configuration or generated in the data folder, never committed).</summary>
    public string PseudonymKey { get; init; } = "";

    public static AccessOptions From(IConfiguration configuration, string generatedKey) => new()
    {
        RecentCare = Duration.FromDays(configuration.GetValue("Records:Access:RecentCareDays", (int)CareLedger.DefaultRecentCare.TotalDays)),
        PseudonymKey = configuration["Records:Access:PseudonymKey"] is { Length: > 0 } key ? key : generatedKey,
    };
}
