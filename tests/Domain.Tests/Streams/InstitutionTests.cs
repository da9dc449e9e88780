namespace Records.Domain.Tests.Streams;

using Records.Domain.Institution;
using static Records.Domain.Institution.InstitutionDecider;

public class InstitutionTests
{
    private static readonly InstitutionContext Ctx = new(T0);

    private static readonly RegisterInstitution Register = new(By(Admin), Hospital, "某互联网医院", "PDY-001", "某市人民医院", "330000", ["内科"]);

    private static InstitutionState Run(params IInstitutionCommand[] commands) =>
        commands.Aggregate(InstitutionState.Initial, (state, command) => Decide(command, state, Ctx).Accepted().Aggregate(state, Evolve));

    [Fact]
    public void Full_lifecycle_register_approve_subjects_publish_terms_connect()
    {
        var state = Run(
            Register,
            new ApproveSubjects(By(Admin), ["内科", "儿科"]),
            new PublishServiceTerms(By(Admin), Duration.FromMinutes(30), [new Fee("复诊", 2000)]),
            new ConnectToPlatform(By(Admin), "ZJ-PLATFORM"));

        Assert.True(state.Approves("儿科"));
        Assert.Equal(Duration.FromMinutes(30), state.ReplyLimit);
        Assert.Equal("ZJ-PLATFORM", state.PlatformCode);
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        Decide(new ConnectToPlatform(By(Admin), "x"), InstitutionState.Initial, Ctx).Rejected("institution.not_found");
        Decide(Register, Run(Register), Ctx).Rejected("institution.already_exists");
        Decide(Register with { Meta = By(Doctor) }, InstitutionState.Initial, Ctx).Rejected("institution.role_not_allowed");
        Decide(Register with { Subjects = [] }, InstitutionState.Initial, Ctx).Rejected("institution.invalid_subjects");
        Decide(new ApproveSubjects(By(Admin), [" "]), Run(Register), Ctx).Rejected("institution.invalid_subjects");
        Decide(new PublishServiceTerms(By(Admin), Duration.Zero, []), Run(Register), Ctx).Rejected("institution.invalid_terms");
        Decide(new PublishServiceTerms(By(Admin), Duration.FromMinutes(5), [new Fee("复诊", -1)]), Run(Register), Ctx).Rejected("institution.invalid_terms");
    }
}
