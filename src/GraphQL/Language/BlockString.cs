namespace Records.GraphQL.Language;

/// <summary>The spec's block string algorithms (section 2.9.4 "BlockStringValue") and graphql-js's printing of them.</summary>
public static class BlockString
{
    /// <summary>
    /// Removes the common indentation of all lines but the first, then the leading and trailing blank lines.
    /// </summary>
    public static IReadOnlyList<string> DedentLines(IReadOnlyList<string> lines)
    {
        var commonIndent = int.MaxValue;
        var firstNonEmptyLine = -1;
        var lastNonEmptyLine = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var indent = LeadingWhiteSpace(line);
            if (indent == line.Length) continue;
            if (firstNonEmptyLine < 0) firstNonEmptyLine = i;
            lastNonEmptyLine = i;
            if (i != 0 && indent < commonIndent) commonIndent = indent;
        }

        if (firstNonEmptyLine < 0) return [];
        var result = new string[lastNonEmptyLine - firstNonEmptyLine + 1];
        for (var i = firstNonEmptyLine; i <= lastNonEmptyLine; i++)
        {
            var line = lines[i];
            result[i - firstNonEmptyLine] = i == 0 ? line : line.Length <= commonIndent ? "" : line[commonIndent..];
        }
        return result;
    }

    /// <summary>Whether printing <paramref name="value"/> as a block string reads back the same value.</summary>
    public static bool IsPrintable(string value)
    {
        if (value.Length == 0) return true;
        var isEmptyLine = true;
        var hasIndent = false;
        var hasCommonIndent = true;
        var seenNonEmptyLine = false;
        foreach (var code in value)
        {
            switch (code)
            {
                case '\r':
                    return false; // would be read back as "\n"
                case '\n':
                    if (isEmptyLine && !seenNonEmptyLine) return false; // leading blank line
                    seenNonEmptyLine = true;
                    isEmptyLine = true;
                    hasIndent = false;
                    break;
                case '\t':
                case ' ':
                    hasIndent |= isEmptyLine;
                    break;
                case < ' ':
                    return false; // non-printable control character
                default:
                    hasCommonIndent &= hasIndent;
                    isEmptyLine = false;
                    break;
            }
        }
        if (isEmptyLine) return false; // trailing blank line
        if (hasCommonIndent && seenNonEmptyLine) return false; // indentation the dedent would remove
        return true;
    }

    /// <summary>Prints a value as a block string, the way graphql-js's printBlockString does; <paramref name="preferMultipleLines"/> false is its "minimize" option.</summary>
    public static string Print(string value, bool preferMultipleLines = true)
    {
        var escaped = value.Replace("\"\"\"", "\\\"\"\"");
        var lines = escaped.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var isSingleLine = lines.Length == 1;
        var forceLeadingNewLine = lines.Length > 1 && lines.Skip(1).All(l => l.Length == 0 || IsWhiteSpace(l[0]));
        var hasTrailingTripleQuotes = escaped.EndsWith("\\\"\"\"", StringComparison.Ordinal);
        var hasTrailingQuote = value.EndsWith('"') && !hasTrailingTripleQuotes;
        var hasTrailingSlash = value.EndsWith('\\');
        var forceTrailingNewLine = hasTrailingQuote || hasTrailingSlash;
        var printAsMultipleLines = preferMultipleLines
            && (!isSingleLine || value.Length > 70 || forceTrailingNewLine || forceLeadingNewLine || hasTrailingTripleQuotes);

        var result = "";
        var skipLeadingNewLine = isSingleLine && value.Length > 0 && IsWhiteSpace(value[0]);
        if ((printAsMultipleLines && !skipLeadingNewLine) || forceLeadingNewLine) result += "\n";
        result += escaped;
        if (printAsMultipleLines || forceTrailingNewLine) result += "\n";
        return "\"\"\"" + result + "\"\"\"";
    }

    private static int LeadingWhiteSpace(string line)
    {
        var i = 0;
        while (i < line.Length && IsWhiteSpace(line[i])) i++;
        return i;
    }

    private static bool IsWhiteSpace(char code) => code is ' ' or '\t';
}
