namespace Records.Domain.Complaint;

public interface IComplaintEvent : IDomainEvent;

public sealed record ComplaintLodged(
    string ComplaintId, string PatientId, string? PractitionerId, string? ConsultationId, string Text, string LodgedBy, Instant LodgedAt) : IComplaintEvent;

public sealed record ComplaintReported(string Authority, string ReportRef, Instant ReportedAt) : IComplaintEvent;

public sealed record ComplaintInvestigated(string Findings, string InvestigatedBy, Instant InvestigatedAt) : IComplaintEvent;

public sealed record ComplaintClosed(bool Upheld, string Resolution, string ClosedBy, Instant ClosedAt) : IComplaintEvent;
