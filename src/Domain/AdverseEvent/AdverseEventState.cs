namespace Records.Domain.AdverseEvent;

public enum AdverseEventStatus
{
    None,
    Open,
    Closed,
}

public sealed record AdverseEventState(AdverseEventStatus Status, string Id, AdverseEventCategory Category, Instant RecordedAt, bool Reported, bool Investigated)
{
    public static readonly AdverseEventState Initial = new(AdverseEventStatus.None, "", AdverseEventCategory.MedicalIncident, default, false, false);
}
