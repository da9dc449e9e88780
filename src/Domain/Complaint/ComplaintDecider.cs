namespace Records.Domain.Complaint;

using Records.Domain.Patient;

public sealed record ComplaintContext(Instant Now, PatientState? Patient);

/// <summary>Complaints (投诉): lodged, reported when needed, investigated, closed — part of after-the-fact supervision (事后监管).</summary>
public static class ComplaintDecider
{
    private const string Stream = "complaint";

    public static Decision<IComplaintEvent> Decide(IComplaintCommand command, ComplaintState state, ComplaintContext context)
    {
        var actor = command.Meta.Actor;
        var now = context.Now;
        // Who may act comes before whether the record exists and what state it is in, so a refused caller learns neither.
        var handler = actor.Role is Role.QualityManager or Role.Administrator;
        if (command is LodgeComplaint lodge)
        {
            var named = context.Patient is { Registered: true } known && known.Id == lodge.PatientId ? known : null;
            if (!handler && named?.IsPatientOrGuardian(actor.Id) != true)
            {
                return Rejections.NotAllowed(Stream, "lodge a complaint for this patient", actor.Role);
            }

            if (state.Status != ComplaintStatus.None)
            {
                return Rejections.AlreadyExists(Stream);
            }

            if (named is null)
            {
                return Rejections.NotFound("patient");
            }

            return string.IsNullOrWhiteSpace(lodge.Text)
                ? Rejections.Invalid("complaint.empty", "Say what the complaint is about.")
                : new ComplaintLodged(lodge.ComplaintId, lodge.PatientId, lodge.PractitionerId, lodge.ConsultationId, lodge.Text, actor.Id, now);
        }

        if (!handler)
        {
            return Rejections.NotAllowed(Stream, "handle complaints", actor.Role);
        }

        if (state.Status == ComplaintStatus.None)
        {
            return Rejections.NotFound(Stream);
        }

        return command switch
        {
            _ when state.Status == ComplaintStatus.Closed => Rejections.WrongState(Stream, "change", state.Status),
            ReportComplaint when state.Reported => Rejections.Invalid("complaint.already_reported", "This complaint was already reported."),
            ReportComplaint c => new ComplaintReported(c.Authority, c.ReportRef, now),
            RecordComplaintInvestigation c when string.IsNullOrWhiteSpace(c.Findings) =>
                Rejections.Invalid("complaint.empty_findings", "Write down what the investigation found."),
            RecordComplaintInvestigation c => new ComplaintInvestigated(c.Findings, actor.Id, now),
            CloseComplaint when state.Status != ComplaintStatus.Investigated =>
                Rejections.Invalid("complaint.not_investigated", "A complaint is closed only after it is investigated."),
            CloseComplaint c => new ComplaintClosed(c.Upheld, c.Resolution, actor.Id, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    public static ComplaintState Evolve(ComplaintState state, IComplaintEvent @event) => @event switch
    {
        ComplaintLodged e => new ComplaintState(ComplaintStatus.Lodged, e.ComplaintId, e.PatientId, e.PractitionerId, false),
        ComplaintReported => state with { Reported = true },
        ComplaintInvestigated => state with { Status = ComplaintStatus.Investigated },
        ComplaintClosed => state with { Status = ComplaintStatus.Closed },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };
}
