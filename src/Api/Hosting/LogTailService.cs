using Records.EventStore;

namespace Records.Api.Hosting;

/// <summary>Follows the live end of the log for the life of the host: one read of each new batch for every feed and waiter.</summary>
public sealed class LogTailService(LogTail tail) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => tail.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await tail.DisposeAsync();
}
