using Npgsql;

namespace Records.EventStore.Sequencing;

/// <summary>
/// A connection of its own that listens on a notification channel, and may hold a session advisory
/// lock to lead (one process does a job, the others wait to take over). Disposing it releases the
/// lock and the listen before the connection returns to the pool.
/// </summary>
public sealed class ChannelListener : IAsyncDisposable
{
    private bool _notified;

    private ChannelListener(NpgsqlConnection connection)
    {
        Connection = connection;
        connection.Notification += (_, e) => (_notified, LastNotification) = (true, e);
    }

    /// <summary>The last notification since <see cref="Reset"/> (its payload, and the server process that sent it); null when none came.</summary>
    public NpgsqlNotificationEventArgs? LastNotification { get; private set; }

    /// <summary>The listening connection; a leader may run its own statements on it.</summary>
    public NpgsqlConnection Connection { get; }

    public static async Task<ChannelListener> OpenAsync(NpgsqlDataSource dataSource, string channel, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var listener = new ChannelListener(connection);
        try
        {
            await using var listen = new NpgsqlCommand($"listen {channel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
            return listener;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until this connection holds the advisory lock <paramref name="key"/>, trying every <paramref name="retry"/>.</summary>
    public async Task LeadAsync(long key, TimeSpan retry, CancellationToken cancellationToken)
    {
        await using var take = new NpgsqlCommand("select pg_try_advisory_lock($1)", Connection) { Parameters = { new() { Value = key } } };
        while (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            await Task.Delay(retry, cancellationToken);
    }

    /// <summary>
    /// Leads until <paramref name="stopping"/>: listens on <paramref name="channel"/>, waits to hold the lock <paramref name="key"/>
    /// (trying every <paramref name="retry"/>) and runs <paramref name="lead"/>. An error <paramref name="restartable"/> accepts
    /// (a lost connection, a server restart) is reported and, after <paramref name="restartDelay"/>, the whole round starts over.
    /// </summary>
    public static async Task LeadUntilStoppedAsync(
        NpgsqlDataSource dataSource, string channel, long key, TimeSpan retry, Func<ChannelListener, CancellationToken, Task> lead,
        Func<Exception, bool> restartable, Action<Exception>? onError, TimeSpan restartDelay, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var listener = await OpenAsync(dataSource, channel, stopping);
                await listener.LeadAsync(key, retry, stopping);
                await lead(listener, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (restartable(e))
            {
                onError?.Invoke(e);
                await Task.Delay(restartDelay, stopping);
            }
        }
    }

    /// <summary>Forgets notifications seen so far: call before looking at the state they announce.</summary>
    public void Reset() => (_notified, LastNotification) = (false, null);

    /// <summary>Returns at once if a notification came since <see cref="Reset"/>, else when one comes or the timeout passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A notification that arrived while the connection was busy has been seen; one that came
        // after sits in the socket, and WaitAsync returns with it at once: none is missed.
        if (!_notified) await Connection.WaitAsync(timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Connection.State == System.Data.ConnectionState.Open)
            {
                await using var release = new NpgsqlCommand("select pg_advisory_unlock_all(); unlisten *", Connection);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (NpgsqlException)
        {
            // A broken connection holds nothing any more.
        }
        await Connection.DisposeAsync();
    }
}
