namespace Records.Domain.Platform;

/// <summary>
/// What the hospital sent the provincial supervision platform (省级互联网医院监管平台) and what came back: its own
/// stream per platform (<c>platform-{platformId}</c>), written by the upload adapter, never by a client's command.
/// </summary>
public interface IPlatformEvent : IDomainEvent;

/// <summary>How many records of one of the platform's data sets an upload carries.</summary>
public sealed record DataSetCount(string DataSet, int Records);

/// <summary>
/// Upload number <paramref name="UploadNumber"/> (1, 2, 3… per platform) left for the platform, carrying the regulated
/// events of the global log after <paramref name="AfterSequence"/> through <paramref name="ThroughSequence"/>; the
/// oldest of them happened at <paramref name="EarliestOccurredAt"/>, which the platform's real-time target is counted from.
/// </summary>
public sealed record UploadSent(
    string PlatformId, long UploadNumber, long AfterSequence, long ThroughSequence, IReadOnlyList<DataSetCount> DataSets,
    Instant EarliestOccurredAt, Instant SentAt) : IPlatformEvent;

/// <summary>The platform acknowledged the upload with its own reference.</summary>
public sealed record UploadAcknowledged(string PlatformId, long UploadNumber, string AcknowledgementRef, Instant AcknowledgedAt) : IPlatformEvent;

/// <summary>
/// An attempt at the upload failed. <paramref name="GivenUp"/>: the platform refused it outright (or the attempts ran out);
/// the adapter moves on to the next upload, and the regulator view shows the failure (indicator 17).
/// </summary>
public sealed record UploadFailed(string PlatformId, long UploadNumber, int Attempt, string Reason, bool GivenUp, Instant FailedAt) : IPlatformEvent;
