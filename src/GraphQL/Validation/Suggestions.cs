namespace Records.GraphQL.Validation;

/// <summary>The "Did you mean …?" hints of error messages, chosen and worded as graphql-js's suggestionList and didYouMean.</summary>
public static class Suggestions
{
    private const int MaxSuggestions = 5;

    /// <summary>The options close to <paramref name="input"/> by edit distance (case changes count as one edit), nearest first.</summary>
    public static List<string> For(string input, IEnumerable<string> options)
    {
        var threshold = (int)Math.Floor(input.Length * 0.4) + 1;
        var inputLower = input.ToLowerInvariant();
        var found = new List<(string Option, int Distance)>();
        foreach (var option in options)
        {
            var distance = inputLower == option.ToLowerInvariant() ? 1 : Distance(inputLower, option.ToLowerInvariant(), threshold);
            if (distance <= threshold) found.Add((option, distance));
        }
        found.Sort((a, b) => a.Distance != b.Distance ? a.Distance - b.Distance : string.CompareOrdinal(a.Option, b.Option));
        var result = new List<string>(found.Count);
        foreach (var (option, _) in found) result.Add(option);
        return result;
    }

    /// <summary>" Did you mean "a", "b", or "c"?", or "" when there is nothing to suggest.</summary>
    public static string DidYouMean(IReadOnlyList<string> suggestions, string? subMessage = null)
    {
        if (suggestions.Count == 0) return "";
        var message = " Did you mean " + (subMessage is null ? "" : subMessage + " ");
        var count = Math.Min(suggestions.Count, MaxSuggestions);
        var quoted = new string[count];
        for (var i = 0; i < count; i++) quoted[i] = "\"" + suggestions[i] + "\"";
        return count switch
        {
            1 => message + quoted[0] + "?",
            2 => message + quoted[0] + " or " + quoted[1] + "?",
            _ => message + string.Join(", ", quoted, 0, count - 1) + ", or " + quoted[^1] + "?",
        };
    }

    // Optimal string alignment distance (Levenshtein plus adjacent transpositions); gives up above the threshold.
    private static int Distance(string a, string b, int threshold)
    {
        if (a == b) return 0;
        if (Math.Abs(a.Length - b.Length) > threshold) return threshold + 1;
        var rows = new int[3][];
        for (var r = 0; r < 3; r++) rows[r] = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) rows[0][j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var upper = rows[(i - 1) % 3];
            var current = rows[i % 3];
            var smallest = current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(upper[j] + 1, current[j - 1] + 1), upper[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, rows[(i - 2) % 3][j - 2] + 1);
                current[j] = value;
                smallest = Math.Min(smallest, value);
            }
            if (smallest > threshold) return threshold + 1;
        }
        return rows[a.Length % 3][b.Length];
    }
}
