using System.Runtime.CompilerServices;
using Records.GraphQL.Execution;
using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

// Mirrors graphql-js's subscribe-test: source streams mapped to response events.
public class SubscriptionTests
{
    private sealed record Message(string Text, int Priority);

    private static Schema InboxSchema(Func<ResolveContext, IAsyncEnumerable<object?>> stream)
    {
        var message = new ObjectType("Message", t => t.Field("text", ScalarType.String).Field("priority", ScalarType.Int.NonNull()));
        var subscription = new ObjectType("Subscription", t => t.Field(new FieldDefinition("newMessage", message,
            [new InputValueDefinition("minPriority", ScalarType.Int) { DefaultValue = 0 }])
        {
            Subscribe = c => new ValueTask<IAsyncEnumerable<object?>>(stream(c)),
            Resolve = c => new ValueTask<object?>(c.Source),
        }));
        return new Schema(new ObjectType("Query", t => t.Field("x", ScalarType.Int)), subscription: subscription).AssertValid();
    }

    private static async IAsyncEnumerable<object?> Messages(int minPriority, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var message in new[] { new Message("hello", 1), new Message("skip me", 0), new Message("bye", 2) })
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            if (message.Priority >= minPriority) yield return message;
        }
    }

    private static async Task<List<string>> Collect(IAsyncEnumerable<ExecutionResult> results)
    {
        var responses = new List<string>();
        await foreach (var result in results) responses.Add(result.ToJson());
        return responses;
    }

    [Fact]
    public async Task Each_event_is_executed_as_a_response()
    {
        var schema = InboxSchema(c => Messages(c.Argument<int>("minPriority"), c.CancellationToken));

        var responses = await Collect(Executor.SubscribeAsync(Request(schema, "subscription { newMessage(minPriority: 1) { text priority } }")));

        Assert.Equal(2, responses.Count);
        AssertJson("""{"data":{"newMessage":{"text":"hello","priority":1}}}""", responses[0]);
        AssertJson("""{"data":{"newMessage":{"text":"bye","priority":2}}}""", responses[1]);
    }

    [Fact]
    public async Task Every_event_follows_the_subscriptions_variables()
    {
        // The events share the document's field plans; a plan a variable changes is made per event, with the variables.
        var schema = InboxSchema(c => Messages(c.Argument<int>("minPriority"), c.CancellationToken));

        var responses = await Collect(Executor.SubscribeAsync(Request(schema,
            "subscription($quiet: Boolean!) { newMessage(minPriority: 1) { text priority @skip(if: $quiet) } }", """{"quiet": true}""")));

        Assert.Equal(2, responses.Count);
        AssertJson("""{"data":{"newMessage":{"text":"hello"}}}""", responses[0]);
        AssertJson("""{"data":{"newMessage":{"text":"bye"}}}""", responses[1]);
    }

    [Fact]
    public async Task Field_errors_in_an_event_stay_in_that_response()
    {
        var schema = InboxSchema(_ => Events(new Message("ok", 1), new Message("bad", -1)));
        static async IAsyncEnumerable<object?> Events(params Message[] messages)
        {
            foreach (var message in messages)
            {
                await Task.Yield();
                yield return message.Priority < 0 ? new { Text = "bad" } : message;
            }
        }

        var responses = await Collect(Executor.SubscribeAsync(Request(schema, "subscription { newMessage { text priority } }")));

        AssertJson("""{"data":{"newMessage":{"text":"ok","priority":1}}}""", responses[0]);
        AssertJson("""
            {"errors":[{"message":"Cannot return null for non-nullable field Message.priority.","locations":[{"line":1,"column":34}],"path":["newMessage","priority"],"extensions":{"code":"INVALID_FIELD_RESULT"}}],
             "data":{"newMessage":null}}
            """, responses[1]);
    }

    [Fact]
    public async Task Failure_to_create_the_stream_is_a_single_request_error()
    {
        var schema = InboxSchema(_ => throw new GraphQLError("No inbox.", "NOT_FOUND"));

        var responses = await Collect(Executor.SubscribeAsync(Request(schema, "subscription { newMessage { text } }")));

        AssertJson("""
            {"errors":[{"message":"No inbox.","locations":[{"line":1,"column":16}],"path":["newMessage"],"extensions":{"code":"NOT_FOUND"}}]}
            """, Assert.Single(responses));
    }

    [Fact]
    public async Task Bad_variables_end_the_stream_with_a_request_error()
    {
        var schema = InboxSchema(c => Messages(0));

        var responses = await Collect(Executor.SubscribeAsync(Request(schema, "subscription($p: Int!) { newMessage(minPriority: $p) { text } }", "{}")));

        AssertJson("""
            {"errors":[{"message":"Variable \"$p\" of required type \"Int!\" was not provided.","locations":[{"line":1,"column":14}],"extensions":{"code":"BAD_USER_INPUT"}}]}
            """, Assert.Single(responses));
    }

    [Fact]
    public async Task Queries_cannot_be_subscribed_to()
    {
        var schema = InboxSchema(c => Messages(0));

        var result = Assert.Single(await Collect(Executor.SubscribeAsync(Request(schema, "{ x }"))));

        Assert.Contains("OPERATION_NOT_SUPPORTED", result);
    }

    /// <summary>
    /// A subscription whose events say who is reading (from the request's bag), what its subscribe resolver kept there,
    /// and how many events the bag has seen.
    /// </summary>
    private static Schema ReaderSchema()
    {
        var reading = new ObjectType("Reading", t => t
            .Field("text", ScalarType.String, resolve: c => ((Message)c.Source!).Text)
            .Field("reader", ScalarType.String, resolve: c => c.Items.TryGetValue("reader", out var reader) ? reader : null)
            .Field("since", ScalarType.String, resolve: c => c.Items.TryGetValue("since", out var since) ? since : null)
            .Field("seen", ScalarType.Int, resolve: c => c.Items["seen"] = (c.Items.TryGetValue("seen", out var seen) ? (int)seen! : 0) + 1));
        var subscription = new ObjectType("Subscription", t => t.Field(new FieldDefinition("newMessage", reading)
        {
            Subscribe = c =>
            {
                c.Items["since"] = "subscribed";
                return new ValueTask<IAsyncEnumerable<object?>>(Messages(1, c.CancellationToken));
            },
            Resolve = c => new ValueTask<object?>(c.Source),
        }));
        return new Schema(new ObjectType("Query", t => t.Field("x", ScalarType.Int)), subscription: subscription).AssertValid();
    }

    [Fact]
    public async Task Every_event_sees_the_requests_items_and_what_the_subscribe_resolver_kept_there()
    {
        // The host's context (the signed-in user) rides in Items: an event resolved without it would read as nobody.
        var request = Request(ReaderSchema(), "subscription { newMessage { text reader since seen } }") with
        {
            Items = new Dictionary<string, object?> { ["reader"] = "dr-wang" },
        };

        var responses = await Collect(Executor.SubscribeAsync(request));

        Assert.Equal(2, responses.Count);
        AssertJson("""{"data":{"newMessage":{"text":"hello","reader":"dr-wang","since":"subscribed","seen":1}}}""", responses[0]);
        AssertJson("""{"data":{"newMessage":{"text":"bye","reader":"dr-wang","since":"subscribed","seen":2}}}""", responses[1]);
    }

    [Fact]
    public async Task Without_items_in_the_request_the_subscription_keeps_one_bag_for_all_its_events()
    {
        var responses = await Collect(Executor.SubscribeAsync(Request(ReaderSchema(), "subscription { newMessage { text reader since seen } }")));

        Assert.Equal(2, responses.Count);
        AssertJson("""{"data":{"newMessage":{"text":"hello","reader":null,"since":"subscribed","seen":1}}}""", responses[0]);
        AssertJson("""{"data":{"newMessage":{"text":"bye","reader":null,"since":"subscribed","seen":2}}}""", responses[1]);
    }

    [Fact]
    public async Task Cancelling_the_consumer_stops_the_source()
    {
        var produced = 0;
        async IAsyncEnumerable<object?> Endless([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            while (true)
            {
                await Task.Delay(1, cancellationToken);
                produced++;
                yield return new Message("tick", 1);
            }
        }
        var schema = InboxSchema(c => Endless(c.CancellationToken));
        using var cancellation = new CancellationTokenSource();

        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Executor.SubscribeAsync(Request(schema, "subscription { newMessage { text } }"), cancellation.Token))
                if (++received == 3) cancellation.Cancel();
        });

        Assert.Equal(3, received);
        Assert.InRange(produced, 3, 4);
    }
}
