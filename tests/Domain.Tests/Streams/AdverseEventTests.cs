namespace Records.Domain.Tests.Streams;

using Records.Domain.AdverseEvent;
using static Records.Domain.AdverseEvent.AdverseEventDecider;

public class AdverseEventTests
{
    private static AdverseEventContext Ctx(Instant? now = null) => new(now ?? T0, Regulation());

    private static readonly RecordAdverseEvent Record =
        new(By(Doctor), "ae-1", PatientActor.Id, AdverseEventCategory.AdverseDrugReaction, Severity.Moderate, "服药后皮疹", T0.Minus(Duration.FromHours(2)));

    private static AdverseEventState Run(Instant now, params IAdverseEventCommand[] commands) =>
        commands.Aggregate(AdverseEventState.Initial, (state, command) => Decide(command, state, Ctx(now)).Accepted().Aggregate(state, Evolve));

    [Fact]
    public void Full_lifecycle_record_report_investigate_close()
    {
        var state = Run(T0,
            Record,
            new ReportAdverseEvent(By(Quality), "省药品不良反应监测中心", "ADR-1"),
            new RecordAdverseEventInvestigation(By(Quality), "与药物相关"),
            new CloseAdverseEvent(By(Quality), "已停药，已随访"));
        Assert.Equal(AdverseEventStatus.Closed, state.Status);
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        Decide(new CloseAdverseEvent(By(Quality), "x"), AdverseEventState.Initial, Ctx()).Rejected("adverse_event.not_found");
        var recorded = Run(T0, Record);
        Decide(Record, recorded, Ctx()).Rejected("adverse_event.already_exists");
        Decide(new CloseAdverseEvent(By(Quality), "x"), recorded, Ctx()).Rejected("adverse_event.not_reported_or_investigated");
        Decide(new RecordAdverseEventInvestigation(By(Quality), ""), recorded, Ctx()).Rejected("adverse_event.empty_findings");
        Decide(new ReportAdverseEvent(By(Service), "x", "y"), recorded, Ctx()).Rejected("adverse_event.role_not_allowed");
        Decide(Record with { Meta = By(PatientActor) }, AdverseEventState.Initial, Ctx()).Rejected("adverse_event.role_not_allowed");
        Decide(new ReportAdverseEvent(By(Pharmacist), "省药监局", "ADR-1"), recorded, Ctx()).Accepted();
        Decide(new RecordAdverseEventInvestigation(By(Doctor), "f"), recorded, Ctx()).Rejected("adverse_event.role_not_allowed");
        Decide(Record with { OccurredAt = T0.Plus(Duration.FromHours(1)) }, AdverseEventState.Initial, Ctx()).Rejected("adverse_event.occurs_in_future");

        var reported = Run(T0, Record, new ReportAdverseEvent(By(Quality), "a", "r"), new RecordAdverseEventInvestigation(By(Quality), "f"));
        Decide(new ReportAdverseEvent(By(Quality), "a", "r"), reported, Ctx()).Rejected("adverse_event.already_reported");
        Decide(new CloseAdverseEvent(By(Doctor), "x"), reported, Ctx()).Rejected("adverse_event.role_not_allowed");
        var closed = Run(T0, Record, new ReportAdverseEvent(By(Quality), "a", "r"), new RecordAdverseEventInvestigation(By(Quality), "f"), new CloseAdverseEvent(By(Quality), "o"));
        Decide(new RecordAdverseEventInvestigation(By(Quality), "more"), closed, Ctx()).Rejected("adverse_event.illegal_transition");
    }

    // 网络安全法; Guangdong notice: reported to the authority at once — late reports are flagged.
    [Fact]
    public void A_report_after_the_configured_deadline_is_flagged()
    {
        var recorded = Run(T0, Record);
        var onTime = Decide(new ReportAdverseEvent(By(Quality), "a", "r"), recorded, Ctx(T0.Plus(Duration.FromHours(23)))).Accepted().One<AdverseEventReported>();
        Assert.Empty(onTime.Flags);

        var late = Decide(new ReportAdverseEvent(By(Quality), "a", "r"), recorded, Ctx(T0.Plus(Duration.FromHours(30)))).Accepted().One<AdverseEventReported>();
        Assert.Equal(("adverse_event.reported_late", RuleIds.IncidentReportDeadline), (late.Flags[0].Code, late.Flags[0].RuleId));
    }
}
