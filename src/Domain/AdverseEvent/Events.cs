namespace Records.Domain.AdverseEvent;

public interface IAdverseEventEvent : IDomainEvent;

public sealed record AdverseEventRecorded(
    string AdverseEventId, string? PatientId, AdverseEventCategory Category, Severity Severity, string Description, Instant OccurredAt,
    string RecordedBy, Instant RecordedAt) : IAdverseEventEvent;

public sealed record AdverseEventReported(string Authority, string ReportRef, Instant ReportedAt, IReadOnlyList<Flag> Flags) : IAdverseEventEvent;

public sealed record AdverseEventInvestigated(string Findings, string InvestigatedBy, Instant InvestigatedAt) : IAdverseEventEvent;

public sealed record AdverseEventClosed(string Outcome, string ClosedBy, Instant ClosedAt) : IAdverseEventEvent;
