namespace Records.Domain.Tests.Streams;

using System.Security.Cryptography;
using Records.Domain.Practitioner;
using Records.Domain.Signature;
using static Records.Domain.Practitioner.PractitionerDecider;

public class PractitionerTests
{
    private static readonly PractitionerContext Ctx = new(T0, SignatureVerifiers.Default);

    private static readonly RegisterPractitioner Register =
        new(By(Admin), Doctor.Id, "李医生", Profession.Physician, "主治医师", TitleGrade.Intermediate, "110-0001", new LocalDate(2014, 9, 1));

    private static PractitionerState Run(params IPractitionerCommand[] commands) =>
        commands.Aggregate(PractitionerState.Initial, (state, command) => Decide(command, state, Ctx).Accepted().Aggregate(state, Evolve));

    [Fact]
    public void Full_lifecycle_register_enrol_verify_train_key_suspend_reinstate_points()
    {
        using var key = new TestKey();
        var state = Run(
            Register,
            new Enrol(By(Admin), Hospital, EnrolmentKind.Filed, ["内科"]),
            new VerifyRealName(By(Service), "c-1", "face"),
            new RecordTraining(By(Quality), "互联网诊疗规范", true, new LocalDate(2026, 1, 15)),
            new RegisterSigningKey(By(Doctor), key.Registered),
            new Suspend(By(Quality), "投诉属实"),
            new Reinstate(By(Quality), "整改完成"),
            new RecordBadPracticePoints(By(Quality), 3, "超时回复"),
            new RevokeSigningKey(By(Doctor), key.Registered.Fingerprint, "设备丢失"));

        Assert.Equal(EnrolmentKind.Filed, state.Enrolments[Hospital].Kind);
        Assert.Contains("c-1", state.VerifiedForConsultations);
        Assert.False(state.Suspended);
        Assert.Equal(3, state.BadPracticePoints);
        Assert.Equal(11, state.PracticeYearsAt(T0));
        Assert.Equal(T0, Assert.Single(state.Keys).RevokedAt);
        Assert.Single(state.Trainings);
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        Decide(new Suspend(By(Quality), "x"), PractitionerState.Initial, Ctx).Rejected("practitioner.not_found");
        Decide(Register, Run(Register), Ctx).Rejected("practitioner.already_exists");
        Decide(Register with { Meta = By(Doctor) }, PractitionerState.Initial, Ctx).Rejected("practitioner.role_not_allowed");
        Decide(new Reinstate(By(Quality), "x"), Run(Register), Ctx).Rejected("practitioner.illegal_transition");
        Decide(new Suspend(By(Quality), "x"), Run(Register, new Suspend(By(Quality), "x")), Ctx).Rejected("practitioner.illegal_transition");
        Decide(new EndEnrolment(By(Admin), "ih-other", "x"), Run(Register), Ctx).Rejected("practitioner.not_enrolled");
        Decide(new Enrol(By(Admin), Hospital, EnrolmentKind.Registered, []), Run(Register), Ctx).Rejected("practitioner.invalid_scope");
        Decide(new RecordBadPracticePoints(By(Quality), 0, "x"), Run(Register), Ctx).Rejected("practitioner.invalid_points");
        Decide(new Suspend(By(Doctor), "self"), Run(Register), Ctx).Rejected("practitioner.role_not_allowed");
        Decide(new RevokeSigningKey(By(Doctor), Hash("none"), "x"), Run(Register), Ctx).Rejected("signing_key.not_found");
    }

    // 互联网诊疗监管细则（试行）: real-name verification is done by the verification service, or by the verified doctor themselves.
    [Fact]
    public void Real_name_verification_comes_from_the_service_or_the_verified_doctor()
    {
        var state = Run(Register);
        Decide(new VerifyRealName(By(Doctor), "c-1", "face"), state, Ctx).Accepted();
        Decide(new VerifyRealName(By(Doctor with { RealNameVerified = false }), "c-1", "face"), state, Ctx).Rejected("practitioner.role_not_allowed");
        Decide(new VerifyRealName(By(OtherDoctor), "c-1", "face"), state, Ctx).Rejected("practitioner.role_not_allowed");
    }

    [Fact]
    public void A_signing_key_must_be_a_P256_key_named_by_its_fingerprint_and_registered_once()
    {
        using var key = new TestKey();
        var state = Run(Register, new RegisterSigningKey(By(Doctor), key.Registered));
        Decide(new RegisterSigningKey(By(Doctor), key.Registered), state, Ctx).Rejected("signing_key.already_registered");
        Decide(new RegisterSigningKey(By(Doctor), key.Registered with { Fingerprint = Hash("x") }), state, Ctx).Rejected("signing_key.fingerprint_mismatch");
        Decide(new RegisterSigningKey(By(Doctor), key.Registered with { PublicKey = "%%%" }), state, Ctx).Rejected("signing_key.malformed");
        Decide(new RegisterSigningKey(By(OtherDoctor), key.Registered), Run(Register), Ctx).Rejected("practitioner.role_not_allowed");

        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var spki = p384.ExportSubjectPublicKeyInfo();
        var wrongCurve = key.Registered with { PublicKey = Convert.ToBase64String(spki), Fingerprint = Convert.ToHexStringLower(SHA256.HashData(spki)) };
        Decide(new RegisterSigningKey(By(Doctor), wrongCurve), Run(Register), Ctx).Rejected("signing_key.malformed");
        Decide(new RegisterSigningKey(By(Doctor), key.Registered with { ValidUntil = key.Registered.ValidFrom }), Run(Register), Ctx)
            .Rejected("signing_key.invalid_period");
    }
}
