namespace Records.Domain.RecordAccess;

/// <param name="CareRelationship">Whether the reader has an active care relationship with the patient (or is the patient), as the host knows it.</param>
public sealed record RecordAccessContext(Instant Now, Regulation Regulation, bool CareRelationship);

/// <summary>Every read of patient data, and the review of break-glass reads.</summary>
public static class RecordAccessDecider
{
    private const string Stream = "record_access";

    public static Decision<IRecordAccessEvent> Decide(IRecordAccessCommand command, RecordAccessState state, RecordAccessContext context)
    {
        var actor = command.Meta.Actor;
        var now = context.Now;
        switch (command)
        {
            case RecordRead c:
                if (state.Recorded)
                {
                    return Rejections.AlreadyExists(Stream);
                }

                var findings = new Findings(context.Regulation, now);
                if (!context.CareRelationship)
                {
                    // ARCHITECTURE.md Security; GB/T 22239-2019: no care relationship needs a reason, shown and reviewed later.
                    if (string.IsNullOrWhiteSpace(c.BreakGlassReason))
                    {
                        findings.Breach(RuleIds.BreakGlassReason, "access.break_glass_reason_required",
                            "You have no care relationship with this patient: give a break-glass reason to read their data.");
                    }
                    else
                    {
                        findings.Breach(RuleIds.NoCareRelationship, "access.break_glass", $"Read without a care relationship: {c.BreakGlassReason}");
                    }
                }

                return findings.Decide<IRecordAccessEvent>(flags => new PatientDataRead(
                    c.AccessId, c.PatientId, actor.Id, actor.Role, c.Resource, c.Purpose, context.CareRelationship,
                    context.CareRelationship ? null : c.BreakGlassReason, now, flags));

            case ReviewBreakGlass c:
                // Who may act comes before whether the read exists and what state it is in, so a refused caller learns neither.
                if (actor.Role != Role.QualityManager)
                {
                    return ReviewerNotAllowed;
                }

                if (!state.Recorded)
                {
                    return Rejections.NotFound(Stream);
                }

                if (actor.Id == state.ReaderId)
                {
                    return ReviewerNotAllowed;
                }

                if (!state.BreakGlass || state.Reviewed)
                {
                    return Rejections.Invalid("access.nothing_to_review", "Only an unreviewed break-glass read is reviewed.");
                }

                return new BreakGlassReviewed(actor.Id, c.Justified, c.Note, now);

            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
        }
    }

    private static readonly Rejection ReviewerNotAllowed =
        Rejections.Invalid("access.reviewer_not_allowed", "A quality manager other than the reader reviews a break-glass read.");

    public static RecordAccessState Evolve(RecordAccessState state, IRecordAccessEvent @event) => @event switch
    {
        PatientDataRead e => new RecordAccessState(true, e.AccessId, e.ReaderId, !e.CareRelationship, false),
        BreakGlassReviewed => state with { Reviewed = true },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };
}
