namespace Records.Domain.Retention;

public sealed record PurgeState(bool Purged, string Id, RetainedRecordKind Kind, string RecordId)
{
    public static readonly PurgeState Initial = new(false, "", default, "");
}
