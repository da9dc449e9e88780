namespace Records.Domain.RecordAccess;

/// <summary>Why patient data is read.</summary>
public enum PurposeOfUse
{
    Treatment,
    PatientRequest,
    QualityReview,
    Regulation,
    Legal,
    Emergency,
}

public interface IRecordAccessCommand : ICommand;

/// <summary>Records a read of a patient's data. Without a care relationship it needs a break-glass reason.</summary>
public sealed record RecordRead(CommandMeta Meta, string AccessId, string PatientId, string Resource, PurposeOfUse Purpose, string? BreakGlassReason)
    : IRecordAccessCommand;

public sealed record ReviewBreakGlass(CommandMeta Meta, bool Justified, string Note) : IRecordAccessCommand;
