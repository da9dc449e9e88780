namespace Records.Api.Feeds;

/// <summary>Retry delays of the outbound feeds (webhooks, platform uploads).</summary>
public static class Backoff
{
    /// <summary>
    /// Doubles from <paramref name="first"/> with each attempt up to <paramref name="max"/>, with ±25% jitter so that
    /// the retries of many subscriptions do not come in waves.
    /// </summary>
    public static TimeSpan Of(int attempt, TimeSpan first, TimeSpan max)
    {
        var exponential = Math.Min(first.TotalMilliseconds * Math.Pow(2, attempt - 1), max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(exponential * (0.75 + Random.Shared.NextDouble() * 0.5));
    }
}
