using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Records.Api.Identity;
using Records.GraphQL.Language;
using Records.GraphQL.Server;
using Records.GraphQL.Validation.Limits;

namespace Records.Api.Hosting;

/// <summary>
/// What one request may ask of the host, from Records:Limits (see src/Api/README.md): the body's
/// size, the GraphQL document's size, depth and cost, how long it may run, and how many requests an
/// identity (the token's actor, or the address when anonymous) may send.
/// </summary>
public sealed record HostLimits
{
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    public int MaxTokens { get; init; } = 15_000;

    public int MaxDepth { get; init; } = 15;

    public int MaxAliases { get; init; } = 30;

    public int MaxFields { get; init; } = 1000;

    public long MaxCost { get; init; } = 20_000;

    /// <summary>The items a list field is assumed to hold for the cost when no <c>first</c>/<c>last</c> says.</summary>
    public int DefaultListSize { get; init; } = 10;

    public int ExecutionTimeoutSeconds { get; init; } = 30;

    /// <summary>Requests an identity may send in a burst; the bucket refills at <see cref="RequestsPerSecond"/>. 0 turns rate limiting off.</summary>
    public int Burst { get; init; } = 200;

    public int RequestsPerSecond { get; init; } = 50;

    /// <summary>The same for callers without a token, per address (their requests mostly end in 401, but cost a token check).</summary>
    public int AnonymousBurst { get; init; } = 60;

    public int AnonymousRequestsPerSecond { get; init; } = 10;

    public static HostLimits From(IConfiguration configuration)
    {
        var limits = configuration.GetSection("Records:Limits").Get<HostLimits>() ?? new HostLimits();
        var wrong = new List<string>();
        if (limits.MaxRequestBodyBytes <= 0) wrong.Add(nameof(MaxRequestBodyBytes));
        if (limits.MaxTokens <= 0) wrong.Add(nameof(MaxTokens));
        if (limits.MaxDepth <= 0) wrong.Add(nameof(MaxDepth));
        if (limits.MaxAliases < 0) wrong.Add(nameof(MaxAliases));
        if (limits.MaxFields <= 0) wrong.Add(nameof(MaxFields));
        if (limits.MaxCost <= 0) wrong.Add(nameof(MaxCost));
        if (limits.DefaultListSize <= 0) wrong.Add(nameof(DefaultListSize));
        if (limits.ExecutionTimeoutSeconds <= 0) wrong.Add(nameof(ExecutionTimeoutSeconds));
        if (limits.Burst < 0 || (limits.Burst > 0 && limits.RequestsPerSecond <= 0)) wrong.Add(nameof(RequestsPerSecond));
        if (limits.AnonymousBurst < 0 || (limits.AnonymousBurst > 0 && limits.AnonymousRequestsPerSecond <= 0)) wrong.Add(nameof(AnonymousRequestsPerSecond));
        return wrong.Count == 0
            ? limits
            : throw new InvalidOperationException($"Records:Limits:{string.Join(", Records:Limits:", wrong)} must be positive (see src/Api/README.md).");
    }

    /// <summary>The GraphQL endpoint's limits.</summary>
    public GraphQLServerOptions GraphQL => new()
    {
        Parser = ParserOptions.Default with { MaxTokens = MaxTokens, MaxDocumentLength = (int)Math.Min(int.MaxValue, MaxRequestBodyBytes) },
        MaxDepth = MaxDepth,
        MaxAliases = MaxAliases,
        MaxFields = MaxFields,
        Cost = new CostOptions(MaxCost) { DefaultListSize = DefaultListSize },
        ExecutionTimeout = TimeSpan.FromSeconds(ExecutionTimeoutSeconds),
    };
}

/// <summary>The request limits in the pipeline: Kestrel's body size, and a token bucket per identity answering 429.</summary>
public static class RequestLimits
{
    /// <summary>What a throttled caller reads.</summary>
    public sealed record Throttled(string Code, string Message);

    public static void AddRequestLimits(this WebApplicationBuilder builder, HostLimits limits)
    {
        builder.Services.AddSingleton(limits);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes);
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await response.WriteAsJsonAsync(new Throttled("request.rate_limited",
                    $"Too many requests from you in a short time: wait {seconds} s and try again."), cancellationToken);
            };
        });
    }

    /// <summary>One bucket per actor, one per address for anonymous callers; health probes are never throttled.</summary>
    private static RateLimitPartition<string> Partition(HttpContext context, HostLimits limits)
    {
        if (context.Request.Path.StartsWithSegments("/health")) return RateLimitPartition.GetNoLimiter("health");
        if (RecordsClaims.ToActor(context.User) is { } actor)
            return limits.Burst == 0 ? RateLimitPartition.GetNoLimiter("actors") : Bucket("actor:" + actor.Id, limits.Burst, limits.RequestsPerSecond);
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        return limits.AnonymousBurst == 0
            ? RateLimitPartition.GetNoLimiter("anonymous")
            : Bucket("address:" + address, limits.AnonymousBurst, limits.AnonymousRequestsPerSecond);
    }

    private static RateLimitPartition<string> Bucket(string key, int burst, int perSecond) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
