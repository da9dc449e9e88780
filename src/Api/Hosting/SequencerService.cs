using Records.EventStore.Sequencing;

namespace Records.Api.Hosting;

/// <summary>Runs the sequencer for the life of the host (it leads, or waits to take over).</summary>
public sealed class SequencerService(RecordsDatabase database, ILogger<SequencerService> logger) : IHostedService, IAsyncDisposable
{
    private Sequencer? _sequencer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sequencer = new Sequencer(database.App, options: new SequencerOptions
        {
            OnError = e => logger.LogWarning(e, "The sequencer lost its connection; it will reconnect"),
        });
        _sequencer.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_sequencer is not null) await _sequencer.DisposeAsync();
        _sequencer = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
