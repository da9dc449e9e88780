using Records.GraphQL.Execution;
using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

// Mirrors graphql-relay-js's connectionFromArray tests, and runs connections through the executor.
public class ConnectionTests
{
    private static readonly string[] Letters = ["A", "B", "C", "D", "E"];

    private static string Cursor(int offset) => Connections.EncodeCursor("offset:" + offset);

    private static string Page(Connection<string> connection) =>
        string.Join(",", connection.Edges.Select(e => e.Node)) +
        $" prev={connection.PageInfo.HasPreviousPage} next={connection.PageInfo.HasNextPage}";

    [Theory]
    [InlineData(null, null, null, null, "A,B,C,D,E prev=False next=False")]
    [InlineData(2, null, null, null, "A,B prev=False next=True")]
    [InlineData(10, null, null, null, "A,B,C,D,E prev=False next=False")]
    [InlineData(null, null, 2, null, "D,E prev=True next=False")]
    [InlineData(2, 1, null, null, "C,D prev=False next=True")]
    [InlineData(null, null, 2, 3, "B,C prev=True next=False")]
    [InlineData(null, 0, null, 4, "B,C,D prev=False next=False")]
    [InlineData(3, 0, null, 4, "B,C,D prev=False next=False")]
    [InlineData(2, 0, null, 4, "B,C prev=False next=True")]
    [InlineData(null, 0, 2, 4, "C,D prev=True next=False")]
    [InlineData(0, null, null, null, " prev=False next=True")]
    public void Pages_an_in_memory_list(int? first, int? afterOffset, int? last, int? beforeOffset, string expected)
    {
        var arguments = new ConnectionArguments(first, afterOffset is { } a ? Cursor(a) : null, last, beforeOffset is { } b ? Cursor(b) : null);

        Assert.Equal(expected, Page(Connections.FromList(Letters, arguments)));
    }

    [Fact]
    public void Cursors_are_opaque_and_point_at_their_item()
    {
        var page = Connections.FromList(Letters, new ConnectionArguments(First: 2, After: Cursor(1)));

        Assert.Equal(["C", "D"], page.Edges.Select(e => e.Node));
        Assert.Equal(page.Edges[0].Cursor, page.PageInfo.StartCursor);
        Assert.Equal(page.Edges[1].Cursor, page.PageInfo.EndCursor);
        Assert.DoesNotContain("offset", page.Edges[0].Cursor);
        Assert.Equal(["E"], Connections.FromList(Letters, new ConnectionArguments(After: page.PageInfo.EndCursor)).Edges.Select(e => e.Node));
    }

    [Fact]
    public void A_foreign_cursor_is_bad_user_input()
    {
        var error = Assert.Throws<GraphQLError>(() => Connections.FromList(Letters, new ConnectionArguments(After: "bm90IG91cnM=")));

        Assert.Equal(ErrorCodes.BadUserInput, error.Code);
        Assert.Equal("Invalid cursor \"bm90IG91cnM=\".", error.Message);
    }

    [Theory]
    [InlineData(2, null, null, null, "10,20 prev=False next=True")]
    [InlineData(2, "20", null, null, "30,40 prev=False next=True")]
    [InlineData(5, "30", null, null, "40,50 prev=False next=False")]
    [InlineData(null, null, 2, null, "40,50 prev=True next=False")]
    [InlineData(null, null, 2, "30", "10,20 prev=False next=False")]
    [InlineData(null, "10", 1, "40", "30 prev=True next=False")]
    public async Task Pages_by_keyset(int? first, string? afterKey, int? last, string? beforeKey, string expected)
    {
        int[] rows = [10, 20, 30, 40, 50];
        KeysetPage? asked = null;
        ValueTask<IReadOnlyList<int>> Fetch(KeysetPage page)
        {
            asked = page;
            var range = rows.Where(r => (page.After is null || r > int.Parse(page.After)) && (page.Before is null || r < int.Parse(page.Before)));
            var taken = page.Limit is not { } limit ? range : page.FromEnd ? range.TakeLast(limit) : range.Take(limit);
            return new(taken.ToArray());
        }
        var arguments = new ConnectionArguments(first, afterKey is null ? null : Connections.EncodeCursor("key:" + afterKey),
            last, beforeKey is null ? null : Connections.EncodeCursor("key:" + beforeKey));

        var connection = await Connections.FromKeysetAsync(arguments, Fetch, r => r.ToString());

        Assert.Equal(expected, string.Join(",", connection.Edges.Select(e => e.Node)) +
            $" prev={connection.PageInfo.HasPreviousPage} next={connection.PageInfo.HasNextPage}");
        Assert.Equal((first ?? last) + 1, asked!.Limit);
    }

    [Fact]
    public async Task Connection_types_and_arguments_run_through_the_executor()
    {
        var user = new ObjectType("User", t => t.Field("name", ScalarType.String));
        var connectionType = Connections.ConnectionType(user);
        var query = new ObjectType("Query", t => t.Field("users", connectionType,
            c => Connections.FromList(Letters.Select(l => new { Name = l }).ToArray(), ConnectionArguments.From(c)),
            arguments: ConnectionArguments.Definitions));
        var schema = new Schema(query).AssertValid();

        var json = await Json(schema, "{ users(first: 2) { edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }");

        string c0 = Cursor(0), c1 = Cursor(1);
        AssertJson("""
            {"data":{"users":{"edges":[{"cursor":"C0","node":{"name":"A"}},{"cursor":"C1","node":{"name":"B"}}],
              "pageInfo":{"hasNextPage":true,"hasPreviousPage":false,"startCursor":"C0","endCursor":"C1"}}}}
            """.Replace("C0", c0).Replace("C1", c1), json);
        Assert.Same(connectionType, Connections.ConnectionType(user));
        Assert.Equal("UserEdge", schema.GetType("UserEdge")!.Name);
    }

    [Fact]
    public async Task Negative_first_is_a_field_error()
    {
        var user = new ObjectType("Item", t => t.Field("name", ScalarType.String));
        var query = new ObjectType("Query", t => t.Field("items", Connections.ConnectionType(user),
            c => Connections.FromList(Letters, ConnectionArguments.From(c)), arguments: ConnectionArguments.Definitions));

        var json = await Json(new Schema(query), "{ items(first: -1) { pageInfo { hasNextPage } } }");

        AssertJson("""
            {"errors":[{"message":"Argument \"first\" must be a non-negative integer.","locations":[{"line":1,"column":3}],"path":["items"],"extensions":{"code":"BAD_USER_INPUT"}}],
             "data":{"items":null}}
            """, json);
    }
}
