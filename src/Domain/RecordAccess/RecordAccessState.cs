namespace Records.Domain.RecordAccess;

public sealed record RecordAccessState(bool Recorded, string Id, string ReaderId, bool BreakGlass, bool Reviewed)
{
    public static readonly RecordAccessState Initial = new(false, "", "", false, false);
}
