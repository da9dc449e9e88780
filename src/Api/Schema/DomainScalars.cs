using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Records.GraphQL.Language;
using Records.GraphQL.Types;

namespace Records.Api.Schema;

/// <summary>
/// The scalars the domain's values need beyond GraphQL's five, each a documented text form. A value
/// that does not parse is a coercion error naming the form expected, so the request fails with a
/// coded error (BAD_USER_INPUT for a variable, GRAPHQL_VALIDATION_FAILED for a literal) before any write.
/// </summary>
public static class DomainScalars
{
    public static ScalarType Instant { get; } = Text<Instant>("Instant",
        "A point in time, ISO 8601 in UTC with a Z: `2026-11-22T09:30:00Z` (fractions of a second allowed).",
        InstantPattern.ExtendedIso, "an ISO 8601 instant in UTC such as \"2026-11-22T09:30:00Z\"");

    public static ScalarType LocalDate { get; } = Text<LocalDate>("LocalDate",
        "A calendar date without a time zone, ISO 8601: `2026-11-22`.",
        LocalDatePattern.Iso, "an ISO 8601 date such as \"2026-11-22\"");

    public static ScalarType Duration { get; } = new("Duration",
        "A length of time, ISO 8601 in days, hours, minutes and seconds: `PT30M`, `P1DT12H`. Years and months are not a fixed length and are refused.",
        serialize: value => value is NodaTime.Duration d
            ? PeriodPattern.NormalizingIso.Format(Period.FromNanoseconds(d.ToInt64Nanoseconds()).Normalize())
            : throw new CoercionException($"Duration cannot represent {value}."),
        parseValue: value => ParseDuration(value as string ?? throw Expected("Duration", value, DurationForm)),
        parseLiteral: (node, _) => ParseDuration((node as StringValueNode)?.Value ?? throw Expected("Duration", Printer.Print(node), DurationForm)));

    public static ScalarType Decimal { get; } = new("Decimal",
        "An exact decimal number, as text (`\"12.50\"`) to keep every digit; a JSON number is accepted as input.",
        serialize: value => value is decimal d ? d.ToString(CultureInfo.InvariantCulture) : throw new CoercionException($"Decimal cannot represent {value}."),
        parseValue: ParseDecimal,
        parseLiteral: (node, _) => ParseDecimal(node switch
        {
            StringValueNode s => s.Value,
            IntValueNode i => i.Value,
            FloatValueNode f => f.Value,
            _ => throw Expected("Decimal", Printer.Print(node), DecimalForm),
        }));

    public static ScalarType Long { get; } = new("Long",
        "A 64-bit whole number, as text (`\"9007199254740993\"`) since JSON readers lose digits past 2^53; a JSON integer is accepted as input.",
        serialize: value => value is long l ? l.ToString(CultureInfo.InvariantCulture) : throw new CoercionException($"Long cannot represent {value}."),
        parseValue: ParseLong,
        parseLiteral: (node, _) => ParseLong(node switch
        {
            StringValueNode s => s.Value,
            IntValueNode i => i.Value,
            _ => throw Expected("Long", Printer.Print(node), LongForm),
        }));

    private const string DurationForm = "an ISO 8601 duration such as \"PT30M\" or \"P1DT12H\"";
    private const string DecimalForm = "a decimal number such as \"12.50\"";
    private const string LongForm = "a whole number such as \"20000\"";

    private static ScalarType Text<T>(string name, string description, IPattern<T> pattern, string form) => new(name, description,
        serialize: value => value is T t ? pattern.Format(t) : throw new CoercionException($"{name} cannot represent {value}."),
        parseValue: value => Parse(name, pattern, value as string ?? throw Expected(name, value, form), form),
        parseLiteral: (node, _) => Parse(name, pattern, (node as StringValueNode)?.Value ?? throw Expected(name, Printer.Print(node), form), form));

    private static T Parse<T>(string name, IPattern<T> pattern, string text, string form) =>
        pattern.Parse(text) is { Success: true } result ? result.Value : throw Expected(name, text, form);

    private static NodaTime.Duration ParseDuration(string text)
    {
        var parsed = PeriodPattern.NormalizingIso.Parse(text);
        if (!parsed.Success || parsed.Value.HasDateComponent && (parsed.Value.Years != 0 || parsed.Value.Months != 0)) throw Expected("Duration", text, DurationForm);
        return parsed.Value.ToDuration();
    }

    private static object ParseDecimal(object value) => value switch
    {
        decimal d => d,
        long or int => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture),
        string s when decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw Expected("Decimal", value, DecimalForm),
    };

    private static object ParseLong(object value) => value switch
    {
        long l => l,
        int i => (long)i,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw Expected("Long", value, LongForm),
    };

    private static CoercionException Expected(string scalar, object? value, string form) =>
        new($"{scalar} cannot represent {(value is string s ? $"\"{s}\"" : value?.ToString() ?? "null")}: expected {form}.");
}
