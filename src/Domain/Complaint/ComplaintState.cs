namespace Records.Domain.Complaint;

public enum ComplaintStatus
{
    None,
    Lodged,
    Investigated,
    Closed,
}

public sealed record ComplaintState(ComplaintStatus Status, string Id, string PatientId, string? PractitionerId, bool Reported)
{
    public static readonly ComplaintState Initial = new(ComplaintStatus.None, "", "", null, false);
}
