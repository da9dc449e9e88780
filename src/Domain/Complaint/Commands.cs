namespace Records.Domain.Complaint;

public interface IComplaintCommand : ICommand;

/// <summary>A complaint by a patient (or their guardian), possibly about a practitioner or a consultation.</summary>
public sealed record LodgeComplaint(
    CommandMeta Meta, string ComplaintId, string PatientId, string? PractitionerId, string? ConsultationId, string Text) : IComplaintCommand;

/// <summary>Reports the complaint to the health authority when it must be.</summary>
public sealed record ReportComplaint(CommandMeta Meta, string Authority, string ReportRef) : IComplaintCommand;

public sealed record RecordComplaintInvestigation(CommandMeta Meta, string Findings) : IComplaintCommand;

/// <param name="Upheld">Whether the complaint was found justified; an upheld complaint about a practitioner feeds bad-practice points.</param>
public sealed record CloseComplaint(CommandMeta Meta, bool Upheld, string Resolution) : IComplaintCommand;
