namespace Records.Domain.Tests.Streams;

using Records.Domain.Patient;
using Records.Domain.Signature;
using static Records.Domain.Patient.PatientDecider;

public class PatientTests
{
    private static readonly PatientContext Ctx = new(T0, Regulation(), SignatureVerifiers.Default);

    private static RegisterPatient Register(Actor? by = null, string? idHash = null) =>
        new(By(by ?? PatientActor), PatientActor.Id, "张三", Sex.Female, new LocalDate(2021, 6, 1), idHash ?? Hash("id-card"), "13800000000");

    private static PatientState Run(params IPatientCommand[] commands) =>
        commands.Aggregate(PatientState.Initial, (state, command) => Decide(command, state, Ctx).Accepted().Aggregate(state, Evolve));

    [Fact]
    public void Full_lifecycle_register_assign_guardian_change_contact_register_key()
    {
        using var key = new TestKey();
        var state = Run(
            Register(),
            new AssignGuardian(By(PatientActor), Mother),
            new ChangeContact(By(GuardianActor), "13900000000"),
            new RegisterPatientSigningKey(By(GuardianActor), key.Registered));

        Assert.Equal(4, state.AgeAt(T0));
        Assert.Equal(Mother, state.Guardian);
        Assert.Equal("13900000000", state.Contact);
        Assert.True(state.IsPatientOrGuardian(GuardianActor.Id));
        Assert.Single(state.Keys);
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        Decide(new ChangeContact(By(PatientActor), "x"), PatientState.Initial, Ctx).Rejected("patient.not_found");
        Decide(Register(), Run(Register()), Ctx).Rejected("patient.already_exists");
        Decide(new AssignGuardian(By(PatientActor), Mother with { GuardianId = PatientActor.Id }), Run(Register()), Ctx).Rejected("patient.self_guardian");
        Decide(Register(by: Regulator()), PatientState.Initial, Ctx).Rejected("patient.role_not_allowed");
        var stranger = new Actor("pt-other", Role.Patient, true);
        Decide(new ChangeContact(By(stranger), "x"), Run(Register()), Ctx).Rejected("patient.role_not_allowed");
        Decide(new AssignGuardian(By(stranger), Mother with { GuardianId = stranger.Id }), Run(Register()), Ctx).Rejected("patient.role_not_allowed");
        Decide(Register() with { DateOfBirth = new LocalDate(2027, 1, 1) }, PatientState.Initial, Ctx).Rejected("patient.invalid_birth_date");
        using var key = new TestKey();
        Decide(new RegisterPatientSigningKey(By(OtherDoctor), key.Registered), Run(Register()), Ctx).Rejected("patient.role_not_allowed");
    }

    // 宁夏互联网医院监管标准 隐私保护: patients register under their real name.
    [Fact]
    public void Ningxia_privacy_a_patient_registers_under_a_verified_real_name()
    {
        Decide(Register(by: PatientActor with { RealNameVerified = false }), PatientState.Initial, Ctx)
            .Rejected("patient.real_name_not_verified", RuleIds.PatientRealName);
        Decide(Register(idHash: "110101199001011234"), PatientState.Initial, Ctx).Rejected("patient.real_name_not_verified", RuleIds.PatientRealName);
        Decide(Register(), PatientState.Initial, Ctx).Accepted();
    }

    private static Actor Regulator() => new("reg-1", Role.Regulator, true);
}
