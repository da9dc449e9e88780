using Records.GraphQL.Execution;
using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

public class DataLoaderTests
{
    private sealed record Book(int Id, string Title, int AuthorId);
    private sealed record Author(int Id, string Name, int CountryId);
    private sealed record Country(int Id, string Name);

    private sealed class Store
    {
        public List<IReadOnlyList<int>> AuthorBatches { get; } = [];
        public List<IReadOnlyList<int>> CountryBatches { get; } = [];

        public ValueTask<IReadOnlyDictionary<int, Author>> Authors(IReadOnlyList<int> ids, CancellationToken _)
        {
            lock (AuthorBatches) AuthorBatches.Add(ids);
            return new(ids.Where(id => id != 404).ToDictionary(id => id, id => new Author(id, "Author " + id, id % 2)));
        }

        public async ValueTask<IReadOnlyDictionary<int, Country>> Countries(IReadOnlyList<int> ids, CancellationToken cancellationToken)
        {
            await Task.Delay(5, cancellationToken);
            lock (CountryBatches) CountryBatches.Add(ids);
            return ids.ToDictionary(id => id, id => new Country(id, "Country " + id));
        }
    }

    private static Schema LibrarySchema(Store store, int books)
    {
        var country = new ObjectType("Country", t => t.Field("name", ScalarType.String));
        var author = new ObjectType("Author", t => t
            .Field("name", ScalarType.String)
            .Field("country", country, async c =>
                await c.DataLoader<int, Country>("countryById", store.Countries).LoadAsync(((Author)c.Source!).CountryId)));
        var book = new ObjectType("Book", t => t
            .Field("title", ScalarType.String)
            .Field("author", author, async c =>
                await c.DataLoader<int, Author>("authorById", store.Authors).LoadAsync(((Book)c.Source!).AuthorId)));
        var query = new ObjectType("Query", t => t
            .Field("books", book.List(), _ => Enumerable.Range(1, books).Select(i => new Book(i, "Book " + i, i <= 2 ? 404 : i % 10)).ToList()));
        return new Schema(query);
    }

    [Fact]
    public async Task A_list_of_N_items_does_one_lookup_per_level()
    {
        var store = new Store();

        var result = await Executor.ExecuteAsync(Request(LibrarySchema(store, 100), "{ books { title author { name country { name } } } }"));

        Assert.Null(result.Errors);
        var authorBatch = Assert.Single(store.AuthorBatches);
        Assert.Equal([404, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2], authorBatch);
        Assert.Equal([1, 0], Assert.Single(store.CountryBatches));
        var books = (object?[])result.Data!["books"]!;
        Assert.Equal(100, books.Length);
        AssertJson("""{"title":"Book 3","author":{"name":"Author 3","country":{"name":"Country 1"}}}""",
            Serialize(books[2]));
        AssertJson("""{"title":"Book 1","author":null}""", Serialize(books[0]));
    }

    [Fact]
    public async Task Loaders_belong_to_one_request()
    {
        var store = new Store();
        var schema = LibrarySchema(store, 5);

        await Executor.ExecuteAsync(Request(schema, "{ books { author { name } } }"));
        await Executor.ExecuteAsync(Request(schema, "{ books { author { name } } }"));

        Assert.Equal(2, store.AuthorBatches.Count);
    }

    [Fact]
    public async Task A_failed_batch_fails_every_field_that_waited_on_it()
    {
        var item = new ObjectType("Item", t => t.Field("value", ScalarType.Int, async c =>
            await c.DataLoader<int, int>("failing", (_, _) => throw new GraphQLError("Store is down.", "UNAVAILABLE")).LoadAsync((int)c.Source!)));
        var query = new ObjectType("Query", t => t.Field("items", item.List(), _ => new[] { 1, 2 }));

        var json = await Json(new Schema(query), "{ items { value } }");

        AssertJson("""
            {"errors":[
              {"message":"Store is down.","locations":[{"line":1,"column":11}],"path":["items",0,"value"],"extensions":{"code":"UNAVAILABLE"}},
              {"message":"Store is down.","locations":[{"line":1,"column":11}],"path":["items",1,"value"],"extensions":{"code":"UNAVAILABLE"}}],
             "data":{"items":[{"value":null},{"value":null}]}}
            """, json);
    }

    [Fact]
    public void Loaders_need_the_executor()
    {
        var context = new ResolveContext(null, new Dictionary<string, object?>(), new FieldDefinition("f", ScalarType.Int),
            new ObjectType("Q", t => t.Field("f", ScalarType.Int)), new Schema(null), new ResponsePath(null, "f"), new Dictionary<string, object?>());

        Assert.Throws<InvalidOperationException>(() => context.DataLoader<int, int>("x", (_, _) => default));
    }

    private static string Serialize(object? value) => System.Text.Json.JsonSerializer.Serialize(ToPlain(value));

    private static object? ToPlain(object? value) => value switch
    {
        ResultMap map => map.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        object?[] items => items.Select(ToPlain).ToArray(),
        _ => value,
    };
}
