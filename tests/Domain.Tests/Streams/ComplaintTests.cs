namespace Records.Domain.Tests.Streams;

using Records.Domain.Complaint;
using static Records.Domain.Complaint.ComplaintDecider;

public class ComplaintTests
{
    private static readonly ComplaintContext Ctx = new(T0, PatientAged(guardian: Mother));

    private static readonly LodgeComplaint Lodge = new(By(PatientActor), "cp-1", PatientActor.Id, Doctor.Id, "c-1", "医生回复太慢");

    private static ComplaintState Run(params IComplaintCommand[] commands) =>
        commands.Aggregate(ComplaintState.Initial, (state, command) => Decide(command, state, Ctx).Accepted().Aggregate(state, Evolve));

    [Fact]
    public void Full_lifecycle_lodge_report_investigate_close()
    {
        var state = Run(
            Lodge,
            new ReportComplaint(By(Quality), "卫健委", "TS-1"),
            new RecordComplaintInvestigation(By(Quality), "属实"),
            new CloseComplaint(By(Quality), true, "已道歉并整改"));
        Assert.Equal(ComplaintStatus.Closed, state.Status);
        Assert.True(state.Reported);
        Assert.Equal(Doctor.Id, state.PractitionerId);
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        Decide(new CloseComplaint(By(Quality), false, "x"), ComplaintState.Initial, Ctx).Rejected("complaint.not_found");
        Decide(Lodge, Run(Lodge), Ctx).Rejected("complaint.already_exists");
        Decide(Lodge with { Meta = By(OtherDoctor) }, ComplaintState.Initial, Ctx).Rejected("complaint.role_not_allowed");
        Decide(Lodge with { Text = " " }, ComplaintState.Initial, Ctx).Rejected("complaint.empty");
        // A patient not registered: nobody is their patient side, and quality staff learn that it is not there.
        Decide(Lodge, ComplaintState.Initial, Ctx with { Patient = null }).Rejected("complaint.role_not_allowed");
        Decide(Lodge with { Meta = By(Quality) }, ComplaintState.Initial, Ctx with { Patient = null }).Rejected("patient.not_found");
        // Who may act is answered before the record's existence and state.
        Decide(new CloseComplaint(By(Doctor), false, "x"), ComplaintState.Initial, Ctx).Rejected("complaint.role_not_allowed");
        Decide(Lodge with { Meta = By(OtherDoctor) }, Run(Lodge), Ctx).Rejected("complaint.role_not_allowed");
        Decide(new CloseComplaint(By(Quality), false, "x"), Run(Lodge), Ctx).Rejected("complaint.not_investigated");
        Decide(new RecordComplaintInvestigation(By(Doctor), "不属实"), Run(Lodge), Ctx).Rejected("complaint.role_not_allowed");
        Decide(new RecordComplaintInvestigation(By(Quality), ""), Run(Lodge), Ctx).Rejected("complaint.empty_findings");
        Decide(new ReportComplaint(By(Quality), "a", "b"), Run(Lodge, new ReportComplaint(By(Quality), "a", "b")), Ctx).Rejected("complaint.already_reported");

        var closed = Run(Lodge, new RecordComplaintInvestigation(By(Quality), "f"), new CloseComplaint(By(Quality), false, "不属实"));
        Decide(new ReportComplaint(By(Quality), "a", "b"), closed, Ctx).Rejected("complaint.illegal_transition");
    }

    [Fact]
    public void A_guardian_may_lodge_for_the_patient()
    {
        Decide(Lodge with { Meta = By(GuardianActor) }, ComplaintState.Initial, Ctx).Accepted();
    }
}
