namespace Records.Domain.AdverseEvent;

public sealed record AdverseEventContext(Instant Now, Regulation Regulation);

/// <summary>Adverse events and data leaks: recorded, reported to the authority, investigated, closed.</summary>
public static class AdverseEventDecider
{
    private const string Stream = "adverse_event";

    public static Decision<IAdverseEventEvent> Decide(IAdverseEventCommand command, AdverseEventState state, AdverseEventContext context)
    {
        var actor = command.Meta.Actor;
        var now = context.Now;
        if (actor.IsMachine && command is not RecordAdverseEvent)
        {
            return Rejections.NotAllowed(Stream, "report, investigate or close adverse events", actor.Role);
        }

        // Those who care for patients, and the hospital's quality and monitoring staff, record and report; quality investigates.
        var allowed = command switch
        {
            RecordAdverseEvent => actor.Role is Role.Physician or Role.Pharmacist or Role.Nurse or Role.QualityManager or Role.Administrator or Role.Service,
            ReportAdverseEvent => actor.Role is Role.Physician or Role.Pharmacist or Role.Nurse or Role.QualityManager or Role.Administrator,
            _ => actor.Role is Role.QualityManager or Role.Administrator,
        };
        if (!allowed)
        {
            return Rejections.NotAllowed(Stream, "record, report, investigate or close adverse events in this role", actor.Role);
        }

        if (command is RecordAdverseEvent record)
        {
            if (state.Status != AdverseEventStatus.None)
            {
                return Rejections.AlreadyExists(Stream);
            }

            return record.OccurredAt > now
                ? Rejections.Invalid("adverse_event.occurs_in_future", "An adverse event cannot have occurred in the future.")
                : new AdverseEventRecorded(record.AdverseEventId, record.PatientId, record.Category, record.Severity, record.Description, record.OccurredAt, actor.Id, now);
        }

        if (state.Status == AdverseEventStatus.None)
        {
            return Rejections.NotFound(Stream);
        }

        if (state.Status == AdverseEventStatus.Closed)
        {
            return Rejections.WrongState(Stream, "change", state.Status);
        }

        switch (command)
        {
            case ReportAdverseEvent c:
                if (state.Reported)
                {
                    return Rejections.Invalid("adverse_event.already_reported", "This event was already reported.");
                }

                // 网络安全法; Guangdong notice: events and leaks are reported to the authority at once (deadline configured).
                var findings = new Findings(context.Regulation, now);
                if (findings.Rule(RuleIds.IncidentReportDeadline) is { } deadline && now > state.RecordedAt + deadline.Parameter<Deadline>().Within)
                {
                    findings.Breach(deadline, "adverse_event.reported_late",
                        $"Reported {(now - state.RecordedAt).TotalHours:0.#} h after it was recorded; the deadline is {deadline.Parameter<Deadline>().Within.TotalHours:0.#} h.");
                }

                return findings.Decide<IAdverseEventEvent>(flags => new AdverseEventReported(c.Authority, c.ReportRef, now, flags));

            case RecordAdverseEventInvestigation c:
                return string.IsNullOrWhiteSpace(c.Findings)
                    ? Rejections.Invalid("adverse_event.empty_findings", "Write down what the investigation found.")
                    : new AdverseEventInvestigated(c.Findings, actor.Id, now);

            case CloseAdverseEvent c:
                if (!state.Reported || !state.Investigated)
                {
                    return Rejections.Invalid("adverse_event.not_reported_or_investigated", "An adverse event is closed only after it is reported and investigated.");
                }

                return new AdverseEventClosed(c.Outcome, actor.Id, now);

            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
        }
    }

    public static AdverseEventState Evolve(AdverseEventState state, IAdverseEventEvent @event) => @event switch
    {
        AdverseEventRecorded e => new AdverseEventState(AdverseEventStatus.Open, e.AdverseEventId, e.Category, e.RecordedAt, false, false),
        AdverseEventReported => state with { Reported = true },
        AdverseEventInvestigated => state with { Investigated = true },
        AdverseEventClosed => state with { Status = AdverseEventStatus.Closed },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };
}
