using Records.EventStore;
using Records.EventStore.Sequencing;

namespace Records.Api.Hosting;

/// <summary>Runs the sequencer for the life of the host (it leads, or waits to take over), handing what it numbers to the host's log tail.</summary>
public sealed class SequencerService(RecordsDatabase database, LogTail tail, ILogger<SequencerService> logger) : IHostedService, IAsyncDisposable
{
    private Sequencer? _sequencer;

    /// <summary>Whether this host's sequencer runs (leading or standing by).</summary>
    public bool IsRunning => _sequencer is not null;

    /// <summary>Whether this host's sequencer numbers the log now (one leads per database).</summary>
    public bool IsLeader => _sequencer?.IsLeader ?? false;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sequencer = new Sequencer(database.App, options: new SequencerOptions
        {
            OnError = e => logger.LogWarning(e, "The sequencer lost its connection; it will reconnect"),
        }, tail: tail);
        _sequencer.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var sequencer = _sequencer;
        _sequencer = null;
        if (sequencer is not null) await sequencer.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
