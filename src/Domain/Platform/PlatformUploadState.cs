namespace Records.Domain.Platform;

/// <summary>
/// Where the uploads to one platform stand, folded from its stream: the last upload number, how far through the
/// global log the uploads have gone, and the upload still waiting for its acknowledgement (if any) with its failed
/// attempts so far. The adapter resumes from here after a restart.
/// </summary>
public sealed record PlatformUploadState(long LastUploadNumber, long ThroughSequence, UploadSent? Pending, int FailedAttempts)
{
    public static readonly PlatformUploadState Initial = new(0, 0, null, 0);

    public static PlatformUploadState Evolve(PlatformUploadState state, IPlatformEvent e) => e switch
    {
        UploadSent sent => new(sent.UploadNumber, sent.ThroughSequence, sent, 0),
        UploadAcknowledged acknowledged when acknowledged.UploadNumber == state.Pending?.UploadNumber => state with { Pending = null, FailedAttempts = 0 },
        UploadFailed { GivenUp: true } failed when failed.UploadNumber == state.Pending?.UploadNumber => state with { Pending = null, FailedAttempts = 0 },
        UploadFailed failed when failed.UploadNumber == state.Pending?.UploadNumber => state with { FailedAttempts = failed.Attempt },
        _ => state,
    };
}
