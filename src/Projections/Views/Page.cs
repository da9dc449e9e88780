using System.Buffers.Binary;
using NodaTime;

namespace Records.Projections.Views;

/// <summary>One Relay page: the items with their cursors, and whether more lie beyond either end.</summary>
public sealed record Page<T>(IReadOnlyList<Edge<T>> Edges, bool HasPreviousPage, bool HasNextPage)
{
    public string? StartCursor => Edges.Count > 0 ? Edges[0].Cursor : null;

    public string? EndCursor => Edges.Count > 0 ? Edges[^1].Cursor : null;
}

public sealed record Edge<T>(T Node, string Cursor);

public static class Page
{
    /// <summary>
    /// The page from rows read one past its size in the direction asked (the extra row says more lie
    /// beyond). Whether items lie before "after" (or beyond "before") need not be computed: a cursor given means yes.
    /// </summary>
    public static Page<T> Of<T>(List<T> rows, int size, bool forward, bool fromCursor, Func<T, string> cursorOf)
    {
        var more = rows.Count > size;
        if (more) rows.RemoveAt(rows.Count - 1);
        if (!forward) rows.Reverse();
        var edges = rows.Select(r => new Edge<T>(r, cursorOf(r))).ToList();
        return forward ? new Page<T>(edges, fromCursor, more) : new Page<T>(edges, more, fromCursor);
    }
}

/// <summary>
/// A position in a list ordered by (recorded time, global sequence): opaque to clients, a
/// base64url of the two numbers. The sequence alone would do, but the time leads the index.
/// </summary>
public readonly record struct TimeCursor(Instant RecordedAt, long Sequence)
{
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, RecordedAt.ToUnixTimeTicks());
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], Sequence);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <exception cref="ViewQueryException">The cursor was not made by <see cref="Encode"/>.</exception>
    public static TimeCursor Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var bytes = Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
            if (bytes.Length != 16) throw new FormatException();
            return new TimeCursor(Instant.FromUnixTimeTicks(BinaryPrimitives.ReadInt64BigEndian(bytes)), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)));
        }
        catch (FormatException)
        {
            throw new ViewQueryException("cursor.invalid", $"'{cursor}' is not a cursor this list gave out.");
        }
    }
}

/// <summary>A position in a list ordered by (an instant, a text key), such as a queue by signing time and record id: opaque to clients.</summary>
public readonly record struct KeyCursor(Instant At, string Key)
{
    public string Encode()
    {
        var key = System.Text.Encoding.UTF8.GetBytes(Key);
        var bytes = new byte[8 + key.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, At.ToUnixTimeTicks());
        key.CopyTo(bytes, 8);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <exception cref="ViewQueryException">The cursor was not made by <see cref="Encode"/>.</exception>
    public static KeyCursor Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var bytes = Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
            if (bytes.Length < 8) throw new FormatException();
            return new KeyCursor(Instant.FromUnixTimeTicks(BinaryPrimitives.ReadInt64BigEndian(bytes)), new System.Text.UTF8Encoding(false, true).GetString(bytes, 8, bytes.Length - 8));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ViewQueryException("cursor.invalid", $"'{cursor}' is not a cursor this list gave out.");
        }
    }
}

/// <summary>How much of a list to read, as Relay asks: <c>first</c> after a cursor, or <c>last</c> before one.</summary>
public sealed record PageRequest(int? First = null, string? After = null, int? Last = null, string? Before = null)
{
    public const int MaxPageSize = 500;

    /// <exception cref="ViewQueryException">Both or neither direction, or a size out of range.</exception>
    public (bool Forward, int Size, TimeCursor? From) Resolve() => Resolve(TimeCursor.Decode);

    /// <summary>As <see cref="Resolve()"/>, for a list whose cursors <paramref name="decode"/> reads.</summary>
    public (bool Forward, int Size, TCursor? From) Resolve<TCursor>(Func<string, TCursor> decode) where TCursor : struct
    {
        if (First is not null && Last is not null)
            throw new ViewQueryException("page.both_directions", "Ask for first or last, not both.");
        var size = First ?? Last ?? 50;
        if (size is < 1 or > MaxPageSize)
            throw new ViewQueryException("page.size", $"A page holds 1 to {MaxPageSize} items, not {size}.");
        var forward = Last is null;
        var cursor = forward ? After : Before;
        return (forward, size, cursor is null ? null : decode(cursor));
    }
}

/// <summary>A query a view cannot answer as asked: a stable code and a sentence.</summary>
public sealed class ViewQueryException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
