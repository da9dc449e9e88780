using System.Collections;
using System.Globalization;
using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>Renders runtime values for error messages the way graphql-js's inspect() does.</summary>
public static class Inspect
{
    public static string Value(object? value) => value switch
    {
        null => "null",
        string s => Printer.PrintString(s),
        bool b => b ? "true" : "false",
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        IFormattable number and (int or long or short or byte or sbyte or uint or ulong or ushort or decimal) =>
            number.ToString(null, CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        IDictionary dictionary => dictionary.Count == 0
            ? "{}"
            : "{ " + string.Join(", ", dictionary.Keys.Cast<object>().Select(k => $"{k}: {Value(dictionary[k])}")) + " }",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Value)) + "]",
        _ => value.ToString() ?? value.GetType().Name,
    };

    /// <summary>JavaScript's number formatting: integers without a fraction, NaN and Infinity by name.</summary>
    public static string FormatDouble(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture).Replace("E+", "e+", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);
}
