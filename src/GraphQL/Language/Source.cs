namespace Records.GraphQL.Language;

/// <summary>A GraphQL document's text, with a name used in error messages.</summary>
public sealed class Source
{
    public Source(string body, string name = "GraphQL request")
    {
        ArgumentNullException.ThrowIfNull(body);
        Body = body;
        Name = name;
    }

    public string Body { get; }
    public string Name { get; }

    /// <summary>The 1-based line and column of a character offset, counting "\r\n", "\n" and "\r" as line ends.</summary>
    public SourceLocation GetLocation(int position)
    {
        var line = 1;
        var lineStart = 0;
        var end = Math.Min(position, Body.Length);
        for (var i = 0; i < end; i++)
        {
            var c = Body[i];
            if (c == '\r' && i + 1 < Body.Length && Body[i + 1] == '\n') i++;
            else if (c != '\n' && c != '\r') continue;
            line++;
            lineStart = i + 1;
        }
        return new SourceLocation(line, position - lineStart + 1);
    }
}

/// <summary>A 1-based line and column in a <see cref="Source"/>.</summary>
public readonly record struct SourceLocation(int Line, int Column);

/// <summary>Where a node sits in its source: character offsets [Start, End).</summary>
public readonly record struct Location(int Start, int End, Source Source)
{
    /// <summary>The line and column of <see cref="Start"/>.</summary>
    public SourceLocation StartLocation => Source.GetLocation(Start);

    /// <summary>The line and column of <see cref="End"/>.</summary>
    public SourceLocation EndLocation => Source.GetLocation(End);
}
