namespace Records.Domain.Tests.Streams;

using Records.Domain.RecordAccess;
using static Records.Domain.RecordAccess.RecordAccessDecider;

public class RecordAccessTests
{
    private static RecordAccessContext Ctx(bool careRelationship) => new(T0, Regulation(), careRelationship);

    private static RecordRead Read(string? reason = null, Actor? by = null) =>
        new(By(by ?? OtherDoctor), "ac-1", PatientActor.Id, "emr/doc-1", PurposeOfUse.Emergency, reason);

    [Fact]
    public void Full_lifecycle_a_break_glass_read_is_recorded_then_reviewed()
    {
        var read = Decide(Read("急诊抢救，患者昏迷"), RecordAccessState.Initial, Ctx(false)).Accepted().One<PatientDataRead>();
        var state = Evolve(RecordAccessState.Initial, read);
        Assert.True(state.BreakGlass);

        var reviewed = Decide(new ReviewBreakGlass(By(Quality), true, "抢救需要"), state, Ctx(false)).Accepted().Aggregate(state, Evolve);
        Assert.True(reviewed.Reviewed);
        Decide(new ReviewBreakGlass(By(Quality), true, "again"), reviewed, Ctx(false)).Rejected("access.nothing_to_review");
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        Decide(new ReviewBreakGlass(By(Quality), true, "x"), RecordAccessState.Initial, Ctx(true)).Rejected("record_access.not_found");
        var ordinary = Evolve(RecordAccessState.Initial, Decide(Read(), RecordAccessState.Initial, Ctx(true)).Accepted().Single());
        Decide(Read(), ordinary, Ctx(true)).Rejected("record_access.already_exists");
        Decide(new ReviewBreakGlass(By(Quality), true, "x"), ordinary, Ctx(true)).Rejected("access.nothing_to_review");

        var breakGlass = Evolve(RecordAccessState.Initial, Decide(Read("急诊"), RecordAccessState.Initial, Ctx(false)).Accepted().Single());
        Decide(new ReviewBreakGlass(By(Doctor), true, "x"), breakGlass, Ctx(false)).Rejected("access.reviewer_not_allowed");
        var qualityReader = Evolve(RecordAccessState.Initial, Decide(Read("质控", Quality), RecordAccessState.Initial, Ctx(false)).Accepted().Single());
        Decide(new ReviewBreakGlass(By(Quality), true, "self"), qualityReader, Ctx(false)).Rejected("access.reviewer_not_allowed");
    }

    // ARCHITECTURE.md Security; GB/T 22239-2019: no care relationship needs a break-glass reason; the read is then flagged.
    [Fact]
    public void A_read_without_care_relationship_needs_a_reason_and_is_flagged()
    {
        var ordinary = Decide(Read(), RecordAccessState.Initial, Ctx(true)).Accepted().One<PatientDataRead>();
        Assert.Empty(ordinary.Flags);

        Decide(Read(), RecordAccessState.Initial, Ctx(false)).Rejected("access.break_glass_reason_required", RuleIds.BreakGlassReason);

        var breakGlass = Decide(Read("急诊抢救"), RecordAccessState.Initial, Ctx(false)).Accepted().One<PatientDataRead>();
        Assert.Equal(RuleIds.NoCareRelationship, Assert.Single(breakGlass.Flags).RuleId);
        Assert.Equal("急诊抢救", breakGlass.BreakGlassReason);
    }
}
