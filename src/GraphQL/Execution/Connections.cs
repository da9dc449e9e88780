using System.Runtime.CompilerServices;
using System.Text;
using Records.GraphQL.Types;

namespace Records.GraphQL.Execution;

/// <summary>Relay's PageInfo: whether more items exist before and after the page, and the cursors of its ends.</summary>
public sealed record PageInfo(bool HasPreviousPage, bool HasNextPage, string? StartCursor, string? EndCursor);

/// <summary>One item of a page with its opaque cursor.</summary>
public sealed record Edge<T>(T Node, string Cursor);

/// <summary>A page of items in the shape of the Relay cursor connections specification.</summary>
public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, PageInfo PageInfo);

/// <summary>The paging arguments of a connection field: <c>first</c>/<c>after</c> forwards, <c>last</c>/<c>before</c> backwards.</summary>
public readonly record struct ConnectionArguments(int? First = null, string? After = null, int? Last = null, string? Before = null)
{
    /// <summary><c>first: Int, after: String, last: Int, before: String</c>, for a connection field's arguments.</summary>
    public static IReadOnlyList<InputValueDefinition> Definitions { get; } =
    [
        new("first", ScalarType.Int) { Description = "Returns the first n items after the `after` cursor." },
        new("after", ScalarType.String) { Description = "Returns items after this cursor." },
        new("last", ScalarType.Int) { Description = "Returns the last n items before the `before` cursor." },
        new("before", ScalarType.String) { Description = "Returns items before this cursor." },
    ];

    /// <summary>The paging arguments a resolver received. Throws BAD_USER_INPUT for a negative <c>first</c> or <c>last</c>.</summary>
    public static ConnectionArguments From(ResolveContext context)
    {
        var arguments = new ConnectionArguments(
            context.Argument<int?>("first"), context.Argument<string>("after"), context.Argument<int?>("last"), context.Argument<string>("before"));
        if (arguments.First < 0) throw NegativeCount("first");
        if (arguments.Last < 0) throw NegativeCount("last");
        return arguments;
    }

    private static GraphQLError NegativeCount(string name) =>
        new($"Argument \"{name}\" must be a non-negative integer.", ErrorCodes.BadUserInput);
}

/// <summary>What a keyset page fetch must return: rows strictly after <see cref="After"/> and before <see cref="Before"/>, in key order.</summary>
/// <param name="After">The key after which rows start, or null from the first row.</param>
/// <param name="Before">The key before which rows end, or null to the last row.</param>
/// <param name="Limit">At most this many rows; null for all.</param>
/// <param name="FromEnd">Take the <see cref="Limit"/> rows closest to <see cref="Before"/> (the end) instead of those closest to <see cref="After"/>; still return them in key order.</param>
public sealed record KeysetPage(string? After, string? Before, int? Limit, bool FromEnd);

/// <summary>
/// Relay cursor connections (https://relay.dev/graphql/connections.htm): the connection and edge types of a node type,
/// and paging of an in-memory list (offset cursors) or of a keyset (cursors holding the last key seen).
/// Cursors are opaque base64 strings; a cursor that does not decode gives a BAD_USER_INPUT error.
/// </summary>
public static class Connections
{
    private const string OffsetPrefix = "offset:";
    private const string KeyPrefix = "key:";
    private static readonly ConditionalWeakTable<NamedType, ObjectType> ConnectionTypes = [];

    /// <summary><c>type PageInfo { hasPreviousPage: Boolean!, hasNextPage: Boolean!, startCursor: String, endCursor: String }</c>.</summary>
    public static ObjectType PageInfoType { get; } = new("PageInfo", t => t
        .Field("hasPreviousPage", ScalarType.Boolean.NonNull(), description: "When paginating backwards, are there more items?")
        .Field("hasNextPage", ScalarType.Boolean.NonNull(), description: "When paginating forwards, are there more items?")
        .Field("startCursor", ScalarType.String, description: "When paginating backwards, the cursor to continue.")
        .Field("endCursor", ScalarType.String, description: "When paginating forwards, the cursor to continue."),
        "Information about pagination in a connection.");

    /// <summary>
    /// <c>{Node}Connection { edges: [{Node}Edge], pageInfo: PageInfo! }</c> and <c>{Node}Edge { node: Node, cursor: String! }</c>,
    /// resolved by the default resolver from a <see cref="Connection{T}"/>. The same type is returned for the same node type.
    /// </summary>
    public static ObjectType ConnectionType(NamedType nodeType)
    {
        if (!nodeType.IsCompositeType) throw new ArgumentException($"Connections page object, interface or union types, not {nodeType}.", nameof(nodeType));
        return ConnectionTypes.GetValue(nodeType, static node =>
        {
            var edge = new ObjectType(node.Name + "Edge", t => t
                .Field("node", node, description: "The item at the end of the edge.")
                .Field("cursor", ScalarType.String.NonNull(), description: "A cursor for use in pagination."),
                "An edge in a connection.");
            return new ObjectType(node.Name + "Connection", t => t
                .Field("edges", edge.List(), description: "A list of edges.")
                .Field("pageInfo", PageInfoType.NonNull(), description: "Information to aid in pagination."),
                "A connection to a list of items.");
        });
    }

    /// <summary>A page of an in-memory list, with cursors holding offsets (graphql-relay's connectionFromArray).</summary>
    public static Connection<T> FromList<T>(IReadOnlyList<T> items, ConnectionArguments arguments)
    {
        var afterOffset = arguments.After is null ? -1 : DecodeOffset(arguments.After);
        var beforeOffset = arguments.Before is null ? items.Count : DecodeOffset(arguments.Before);
        var start = Math.Max(afterOffset, -1) + 1;
        var end = Math.Min(beforeOffset, items.Count);
        if (arguments.First is { } first) end = Math.Min(end, start + first);
        if (arguments.Last is { } last) start = Math.Max(start, end - last);

        var edges = new List<Edge<T>>(Math.Max(end - start, 0));
        for (var i = start; i < end; i++) edges.Add(new Edge<T>(items[i], EncodeCursor(OffsetPrefix + i)));
        var lowerBound = arguments.After is null ? 0 : afterOffset + 1;
        var upperBound = arguments.Before is null ? items.Count : beforeOffset;
        return new Connection<T>(edges, new PageInfo(
            HasPreviousPage: arguments.Last is not null && start > lowerBound,
            HasNextPage: arguments.First is not null && end < upperBound,
            edges.Count > 0 ? edges[0].Cursor : null,
            edges.Count > 0 ? edges[^1].Cursor : null));
    }

    /// <summary>
    /// A page read by key (keyset pagination): <paramref name="fetch"/> reads one row more than asked to learn whether
    /// more exist, and each cursor holds its row's key from <paramref name="keyOf"/>.
    /// </summary>
    public static async ValueTask<Connection<T>> FromKeysetAsync<T>(
        ConnectionArguments arguments, Func<KeysetPage, ValueTask<IReadOnlyList<T>>> fetch, Func<T, string> keyOf)
    {
        var after = arguments.After is null ? null : DecodeKey(arguments.After);
        var before = arguments.Before is null ? null : DecodeKey(arguments.Before);
        var fromEnd = arguments.First is null && arguments.Last is not null;
        var limit = fromEnd ? arguments.Last + 1 : arguments.First + 1;
        IReadOnlyList<T> rows = await fetch(new KeysetPage(after, before, limit, fromEnd)).ConfigureAwait(false);

        bool hasNext = false, hasPrevious = false;
        if (arguments.First is { } first && rows.Count > first)
        {
            hasNext = true;
            rows = rows.Take(first).ToArray();
        }
        if (arguments.Last is { } last && rows.Count > last)
        {
            hasPrevious = true;
            rows = rows.Skip(rows.Count - last).ToArray();
        }
        var edges = rows.Select(row => new Edge<T>(row, EncodeCursor(KeyPrefix + keyOf(row)))).ToArray();
        return new Connection<T>(edges, new PageInfo(hasPrevious, hasNext,
            edges.Length > 0 ? edges[0].Cursor : null, edges.Length > 0 ? edges[^1].Cursor : null));
    }

    /// <summary>An opaque cursor for <paramref name="value"/>.</summary>
    public static string EncodeCursor(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static int DecodeOffset(string cursor) =>
        int.TryParse(Decode(cursor, OffsetPrefix), out var offset) && offset >= 0 ? offset : throw InvalidCursor(cursor);

    private static string DecodeKey(string cursor) => Decode(cursor, KeyPrefix);

    private static string Decode(string cursor, string prefix)
    {
        var bytes = new byte[cursor.Length];
        if (!Convert.TryFromBase64String(cursor, bytes, out var length)) throw InvalidCursor(cursor);
        var text = Encoding.UTF8.GetString(bytes, 0, length);
        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : throw InvalidCursor(cursor);
    }

    private static GraphQLError InvalidCursor(string cursor) => new($"Invalid cursor \"{cursor}\".", ErrorCodes.BadUserInput);
}
