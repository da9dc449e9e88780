namespace Records.Domain.AdverseEvent;

public enum AdverseEventCategory
{
    AdverseDrugReaction,
    MedicalIncident,
    /// <summary>A leak of patient data: reported to the health authority at once.</summary>
    DataLeak,
}

public enum Severity
{
    Mild,
    Moderate,
    Severe,
    Death,
}

public interface IAdverseEventCommand : ICommand;

public sealed record RecordAdverseEvent(
    CommandMeta Meta, string AdverseEventId, string? PatientId, AdverseEventCategory Category, Severity Severity, string Description,
    Instant OccurredAt) : IAdverseEventCommand;

public sealed record ReportAdverseEvent(CommandMeta Meta, string Authority, string ReportRef) : IAdverseEventCommand;

public sealed record RecordAdverseEventInvestigation(CommandMeta Meta, string Findings) : IAdverseEventCommand;

public sealed record CloseAdverseEvent(CommandMeta Meta, string Outcome) : IAdverseEventCommand;
