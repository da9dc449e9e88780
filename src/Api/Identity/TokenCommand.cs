using NodaTime;
using Records.Domain;

namespace Records.Api.Identity;

/// <summary>
/// The <c>token</c> verb: prints a bearer token for development and the demo.
/// <code>dotnet run --project src/Api -- token --subject doctor-1 --role physician [--name 李医生] [--not-verified] [--hours 12]</code>
/// An integrator's token carries its feed grant:
/// <code>token --subject pharmacy-1 --role integrator --event-types prescription.*,consultation.completed.v1 [--institutions ih-1,ih-2] [--clear-identifiers]</code>
/// </summary>
public static class TokenCommand
{
    public const string Verb = "token";

    private const string Usage =
        "usage: token --subject ID --role ROLE [--name NAME] [--not-verified] [--hours N]\n" +
        "             [--event-types T1,T2 [--institutions I1,I2] [--clear-identifiers]]   (integrators: the feed grant)\n" +
        "  ROLE: patient, physician, pharmacist, nurse, quality-manager, regulator, legal, integrator, administrator";

    /// <summary>
    /// Splits the command line into configuration (<c>--Section:Key=value</c>, as ops/run.sh passes
    /// the data folder) and the verb's own arguments; null when the command line has no verb.
    /// </summary>
    public static (string[] Configuration, string[] Arguments)? Find(string[] args)
    {
        var index = Array.FindIndex(args, a => !IsSetting(a));
        if (index < 0 || args[index] != Verb) return null;
        var rest = args[(index + 1)..];
        return (args[..index].Concat(rest.Where(IsSetting)).ToArray(), rest.Where(a => !IsSetting(a)).ToArray());
    }

    /// <summary>Prints the token and returns 0, or prints what is wrong with the arguments and returns 2.</summary>
    public static int Run(string[] arguments, IdentityOptions options, TextWriter output, TextWriter error)
    {
        string? subject = null, role = null, name = null;
        List<string> eventTypes = [], institutions = [];
        var clearIdentifiers = false;
        var verified = true;
        var hours = 12;
        for (var i = 0; i < arguments.Length; i++)
        {
            string? Value() => i + 1 < arguments.Length ? arguments[++i] : null;
            switch (arguments[i])
            {
                case "--subject": subject = Value(); break;
                case "--role": role = Value(); break;
                case "--name": name = Value(); break;
                case "--not-verified": verified = false; break;
                case "--event-types": eventTypes.AddRange(List(Value())); break;
                case "--institutions": institutions.AddRange(List(Value())); break;
                case "--clear-identifiers": clearIdentifiers = true; break;
                case "--hours":
                    if (!int.TryParse(Value(), out hours) || hours <= 0)
                    {
                        error.WriteLine($"token: --hours needs a positive whole number.\n{Usage}");
                        return 2;
                    }

                    break;
                default:
                    error.WriteLine($"token: unexpected argument '{arguments[i]}'.\n{Usage}");
                    return 2;
            }
        }

        if (string.IsNullOrWhiteSpace(subject) || RecordsClaims.ParseRole(role) is not { } parsed)
        {
            error.WriteLine($"token: give a subject and one of the roles.\n{Usage}");
            return 2;
        }

        var granted = eventTypes.Count > 0 || institutions.Count > 0 || clearIdentifiers;
        if (granted && (parsed != Role.Integrator || eventTypes.Count == 0))
        {
            error.WriteLine($"token: a feed grant (--event-types, --institutions, --clear-identifiers) is for an integrator and needs --event-types.\n{Usage}");
            return 2;
        }

        var grant = granted ? new Feeds.FeedScope(eventTypes, institutions, clearIdentifiers) : null;
        output.WriteLine(new TokenIssuer(options, SystemClock.Instance).Issue(subject, parsed, verified, name, Duration.FromHours(hours), grant));
        return 0;
    }

    private static IEnumerable<string> List(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=') && arg.IndexOf(':') is > 2;
}
