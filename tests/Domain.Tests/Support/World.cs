namespace Records.Domain.Tests.Support;

using System.Security.Cryptography;
using NodaTime;
using Records.Domain.Consultation;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Rules;
using Records.Domain.Signature;

/// <summary>The people, places and times the tests share.</summary>
public static class World
{
    /// <summary>Monday 2 March 2026, 10:00 in China.</summary>
    public static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 2, 0);

    public const string Hospital = "ih-1";

    /// <summary>Zhejiang: national rules only.</summary>
    public static readonly Place Zhejiang = new("330000", Hospital);

    public static readonly Place Beijing = new(RuleCatalog.Beijing, Hospital);

    public static readonly Place Ningxia = new(RuleCatalog.Ningxia, Hospital);

    public static readonly Actor Doctor = new("dr-li", Role.Physician, true);
    public static readonly Actor OtherDoctor = new("dr-zhao", Role.Physician, true);
    public static readonly Actor Pharmacist = new("ph-wang", Role.Pharmacist, true);
    public static readonly Actor PatientActor = new("pt-zhang", Role.Patient, true);
    public static readonly Actor GuardianActor = new("gd-zhang", Role.Patient, true);
    public static readonly Actor Admin = new("admin-1", Role.Administrator, true);
    public static readonly Actor Quality = new("qm-1", Role.QualityManager, true);
    public static readonly Actor Ai = new("ai-assistant", Role.Ai, false);
    public static readonly Actor Service = new("svc-face", Role.Service, false);

    public static Regulation Regulation(Place? place = null) => new(RuleCatalog.Default, place ?? Zhejiang);

    public static CommandMeta By(Actor actor, Instant? at = null) => new(actor, at ?? T0, Guid.NewGuid());

    public static TState Fold<TState, TEvent>(TState state, Func<TState, TEvent, TState> evolve, params TEvent[] events) =>
        events.Aggregate(state, evolve);

    public static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));

    /// <summary>A physician or pharmacist registered and enrolled at the hospital, verified for the given consultations.</summary>
    public static PractitionerState PractitionerFor(
        Actor actor, Profession profession = Profession.Physician, int years = 10, string[]? scope = null, TitleGrade grade = TitleGrade.Intermediate,
        params string[] verifiedFor) =>
        Fold<PractitionerState, IPractitionerEvent>(PractitionerState.Initial, PractitionerDecider.Evolve,
            [
                new PractitionerRegistered(actor.Id, "李医生", profession, "主治医师", grade, "110" + actor.Id, ChinaTime.DateOf(T0).PlusYears(-years), T0),
                new PractitionerEnrolled(Hospital, EnrolmentKind.Registered, scope ?? ["内科", "儿科"], T0),
                .. verifiedFor.Select(c => new RealNameVerified(c, "face", T0)),
            ]);

    public static PatientState PatientAged(int ageYears = 40, Guardian? guardian = null) =>
        Fold<PatientState, IPatientEvent>(PatientState.Initial, PatientDecider.Evolve,
            [
                new PatientRegistered(PatientActor.Id, "张三", Sex.Female, ChinaTime.DateOf(T0).PlusYears(-ageYears).PlusDays(-1), Hash("id-card"), "13800000000", T0, []),
                .. guardian is null ? Array.Empty<IPatientEvent>() : [new GuardianAssigned(guardian, T0)],
            ]);

    public static readonly Guardian Mother = new(GuardianActor.Id, "张母", "mother");

    public static readonly Diagnosis Hypertension = new("I10", "原发性高血压");
    public static readonly Diagnosis Diabetes = new("E11.9", "2型糖尿病");

    /// <summary>An online follow-up for hypertension, accepted by <see cref="Doctor"/>, with offline evidence unless told otherwise.</summary>
    public static ConsultationState FollowUp(string id = "c-1", bool evidence = true, string subject = "内科", params IConsultationEvent[] more) =>
        Fold<ConsultationState, IConsultationEvent>(ConsultationState.Initial, ConsultationDecider.Evolve,
            [
                new ConsultationRequested(id, PatientActor.Id, Hospital, ConsultationKind.OnlineFollowUp, subject, "复诊开药", false, null, PatientActor.Id, T0, []),
                new ConsultationAccepted(Doctor.Id, T0, []),
                .. evidence
                    ? [new OfflineEvidenceAttached(EvidenceKind.OutpatientRecord, "doc://opd/1", Hash("opd"), "某市人民医院", [Hypertension], PatientActor.Id, T0)]
                    : Array.Empty<IConsultationEvent>(),
                .. more,
            ]);
}
