using Records.GraphQL.Execution;
using Records.GraphQL.Language;
using Records.GraphQL.Types;
using static Records.GraphQL.Tests.Execution.Run;

namespace Records.GraphQL.Tests.Execution;

public class TimeoutTests
{
    private static Schema SlowSchema(Func<ResolveContext, ValueTask<object?>> slow) =>
        new(new ObjectType("Query", t => t.Field("fast", ScalarType.Int, _ => 1).Field("slow", ScalarType.Int, slow)));

    private static ExecutionRequest Request(Schema schema, TimeSpan timeout, CancellationToken cancellationToken = default) => new()
    {
        Schema = schema,
        Document = Parser.Parse("{ fast slow }"),
        Timeout = timeout,
        CancellationToken = cancellationToken,
    };

    [Fact]
    public async Task Execution_past_the_limit_is_a_request_error_naming_the_limit()
    {
        var schema = SlowSchema(async c => { await Task.Delay(TimeSpan.FromSeconds(10), c.CancellationToken); return 2; });

        var json = (await Executor.ExecuteAsync(Request(schema, TimeSpan.FromMilliseconds(50)))).ToJson();

        AssertJson("""{"errors":[{"message":"Execution exceeded the time limit of 50 ms.","extensions":{"code":"EXECUTION_TIMEOUT","limitMs":50}}]}""", json);
    }

    [Fact]
    public async Task A_resolver_ignoring_the_token_does_not_hold_the_response()
    {
        var release = new TaskCompletionSource<object?>();
        var schema = SlowSchema(_ => new ValueTask<object?>(release.Task));

        var started = DateTime.UtcNow;
        var result = await Executor.ExecuteAsync(Request(schema, TimeSpan.FromMilliseconds(50)));
        release.SetResult(2);

        Assert.Equal(ErrorCodes.ExecutionTimeout, Assert.Single(result.Errors!).Code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Execution_within_the_limit_is_unaffected()
    {
        var schema = SlowSchema(async _ => { await Task.Delay(1); return 2; });

        AssertJson("""{"data":{"fast":1,"slow":2}}""", (await Executor.ExecuteAsync(Request(schema, TimeSpan.FromSeconds(10)))).ToJson());
    }

    [Fact]
    public async Task Cancellation_by_the_caller_throws()
    {
        using var cancellation = new CancellationTokenSource();
        var schema = SlowSchema(async c => { await cancellation.CancelAsync(); await Task.Delay(TimeSpan.FromSeconds(10), c.CancellationToken); return 2; });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Executor.ExecuteAsync(Request(schema, TimeSpan.FromSeconds(10), cancellation.Token)));
    }
}
