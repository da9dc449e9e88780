using System.Runtime.CompilerServices;
using System.Security.Claims;
using Records.GraphQL.Server;
using Records.GraphQL.Types;

namespace Records.GraphQL.Tests.Server;

/// <summary>The schema the server, HTTP and WebSocket tests serve: plain, slow and user-aware queries, a mutation, a counting subscription.</summary>
internal static class TestSchema
{
    public static Schema Create()
    {
        var item = new ObjectType("Item", t => t.Field("id", ScalarType.Int.NonNull()).Field("name", ScalarType.String));
        var query = new ObjectType("Query", t => t
            .Field("hello", ScalarType.String, ctx => "Hello, " + (ctx.Argument<string>("name") ?? "world"),
                arguments: [new InputValueDefinition("name", ScalarType.String)])
            .Field("items", item.NonNull().List(), ctx => Enumerable.Range(1, ctx.Argument<int>("first"))
                .Select(i => new Dictionary<string, object?> { ["id"] = i, ["name"] = "item " + i }).ToList(),
                arguments: [new InputValueDefinition("first", ScalarType.Int) { DefaultValue = 3 }])
            .Field("me", ScalarType.String, ctx =>
                ctx.Items.TryGetValue(GraphQLRequestContext.UserItem, out var user) ? ((ClaimsPrincipal?)user)?.Identity?.Name : null)
            .Field("slow", ScalarType.String, async ctx =>
            {
                await Task.Delay(TimeSpan.FromSeconds(10), ctx.CancellationToken);
                return "done";
            }));
        var counter = 0;
        var mutation = new ObjectType("Mutation", t => t.Field("increment", ScalarType.Int.NonNull(), _ => Interlocked.Increment(ref counter)));
        var subscription = new ObjectType("Subscription", t => t.Field(new FieldDefinition("count", ScalarType.Int.NonNull(),
            [new InputValueDefinition("to", ScalarType.Int.NonNull()), new InputValueDefinition("intervalMs", ScalarType.Int) { DefaultValue = 1 },
             new InputValueDefinition("failAfter", ScalarType.Int)])
        {
            Subscribe = ctx => ValueTask.FromResult(Count(ctx.Argument<int>("to"), ctx.Argument<int>("intervalMs"), ctx.Argument<int?>("failAfter"), ctx.CancellationToken)),
            Resolve = ctx => ValueTask.FromResult(ctx.Source),
        }));
        return new Schema(query, mutation, subscription).AssertValid();
    }

    /// <summary>1 to <paramref name="to"/>; the source itself fails after <paramref name="failAfter"/> events if given.</summary>
    private static async IAsyncEnumerable<object?> Count(int to, int intervalMs, int? failAfter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 1; i <= to; i++)
        {
            if (i > failAfter) throw new TimeoutException($"The count's source failed after {failAfter}.");
            await Task.Delay(intervalMs, cancellationToken);
            yield return i;
        }
    }
}
