namespace Records.Domain.Tests.Properties;

using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consultation;
using Records.Domain.Prescription;
using Records.Domain.Serialization;
using Records.Domain.Signature;
using CD = Records.Domain.ClinicalDocument.ClinicalDocumentDecider;
using CS = Records.Domain.Consultation.ConsultationDecider;
using RX = Records.Domain.Prescription.PrescriptionDecider;

/// <summary>One command a random history may contain, decided against whatever state the history reached.</summary>
public sealed record Step<TState, TEvent>(string Name, Func<TState, Decision<TEvent>> Decide)
    where TEvent : IDomainEvent
{
    public override string ToString() => Name;
}

/// <summary>
/// For any sequence of commands: deciding and folding the accepted events never throws, and replaying the
/// accepted events — as stored, through the serializer — always gives the same state.
/// </summary>
public class FoldProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(150);

    [Fact]
    public void Prescription_histories_fold_without_throwing_and_replay_deterministically() =>
        Holds(PrescriptionState.Initial, RX.Evolve, PrescriptionSteps());

    [Fact]
    public void Consultation_histories_fold_without_throwing_and_replay_deterministically() =>
        Holds(ConsultationState.Initial, CS.Evolve, ConsultationSteps());

    [Fact]
    public void Clinical_document_histories_fold_without_throwing_and_replay_deterministically() =>
        Holds(ClinicalDocumentState.Initial, CD.Evolve, DocumentSteps());

    private static void Holds<TState, TEvent>(TState initial, Func<TState, TEvent, TState> evolve, Step<TState, TEvent>[] steps)
        where TEvent : IDomainEvent
    {
        var histories = Gen.ListOf(Gen.Elements(steps), 25).ToArbitrary();
        Check.One(Runs, Prop.ForAll(histories, history =>
        {
            var state = initial;
            var accepted = new List<TEvent>();
            foreach (var step in history)
            {
                var decision = step.Decide(state);
                Assert.True(decision.IsAccepted ^ decision.Rejection is not null);
                foreach (var e in decision.Events)
                {
                    state = evolve(state, e);
                    accepted.Add(e);
                }
            }

            var replayed = accepted.Aggregate(initial, evolve);
            var fromStorage = accepted.Select(Stored).Aggregate(initial, evolve);
            return Json(state) == Json(replayed) && Json(replayed) == Json(fromStorage);
        }));
    }

    private static TEvent Stored<TEvent>(TEvent e)
        where TEvent : IDomainEvent
    {
        var stored = DomainEventSerializer.Default.Serialize(e);
        return (TEvent)DomainEventSerializer.Default.Deserialize(stored.TypeName, stored.Data);
    }

    private static string Json<T>(T state) => JsonSerializer.Serialize(state, DomainJson.Options);

    private static Step<PrescriptionState, IPrescriptionEvent>[] PrescriptionSteps()
    {
        var line = new PrescriptionLine("氨氯地平片", DrugClass.Ordinary, "片剂", "5mg", 7m, "片", "每日一次", 7);
        var later = T0.Plus(Duration.FromMinutes(5));
        var nextWeek = T0.Plus(Duration.FromDays(7));
        SignatureState? SignedBy(Actor signer, PrescriptionState s, string id) => s.Status == PrescriptionStatus.None ? null : Signatures.Signed(signer, s.SigningHash, id);
        PrescriptionContext Prescriber(PrescriptionState s, Instant now) =>
            new(now, Regulation(), PractitionerFor(Doctor, verifiedFor: ["c-1"]), FollowUp(), PatientAged(), SignedBy(Doctor, s, "sig-rx"));
        PrescriptionContext Reviewer(PrescriptionState s, Instant now) =>
            new(now, Regulation(), PractitionerFor(Pharmacist, Practitioner.Profession.Pharmacist), null, null, SignedBy(Pharmacist, s, "sig-review"));
        Step<PrescriptionState, IPrescriptionEvent> S(string name, Func<PrescriptionState, Decision<IPrescriptionEvent>> decide) => new(name, decide);

        return
        [
            S("draft", s => RX.Decide(new DraftPrescription(By(Doctor), "rx-1", "c-1", [Hypertension], [line], false, null), s, Prescriber(s, T0))),
            S("draft 10 days with reason", s => RX.Decide(new DraftPrescription(By(Doctor), "rx-1", "c-1", [Hypertension], [line with { DaysSupply = 10 }], false, "慢病"), s, Prescriber(s, T0))),
            S("draft narcotic", s => RX.Decide(new DraftPrescription(By(Doctor), "rx-1", "c-1", [Hypertension], [line with { Class = DrugClass.Narcotic }], false, null), s, Prescriber(s, T0))),
            S("sign", s => RX.Decide(new SignPrescription(By(Doctor), "sig-rx"), s, Prescriber(s, T0))),
            S("sign by AI", s => RX.Decide(new SignPrescription(By(Ai), "sig-rx"), s, Prescriber(s, T0))),
            S("approve", s => RX.Decide(new ApprovePrescription(By(Pharmacist), "sig-review"), s, Reviewer(s, later))),
            S("approve fast", s => RX.Decide(new ApprovePrescription(By(Pharmacist), "sig-review"), s, Reviewer(s, T0))),
            S("reject", s => RX.Decide(new RejectPrescription(By(Pharmacist), ["剂量"]), s, Reviewer(s, later))),
            S("extend 3", s => RX.Decide(new ExtendValidity(By(Doctor), 3, "出差"), s, Prescriber(s, later))),
            S("extend 5", s => RX.Decide(new ExtendValidity(By(Doctor), 5, "出差"), s, Prescriber(s, later))),
            S("hand off", s => RX.Decide(new HandOffPrescription(By(Service), "pharmacy-9"), s, Reviewer(s, later))),
            S("dispense", s => RX.Decide(new DispensePrescription(By(Pharmacist)), s, Reviewer(s, later))),
            S("dispense next week", s => RX.Decide(new DispensePrescription(By(Pharmacist)), s, Reviewer(s, nextWeek))),
            S("deliver", s => RX.Decide(new DeliverPrescription(By(Service), "SF1"), s, Reviewer(s, later))),
            S("cancel", s => RX.Decide(new CancelPrescription(By(Doctor), "开错"), s, Reviewer(s, later))),
            S("expire next week", s => RX.Decide(new ExpirePrescription(By(Service)), s, Reviewer(s, nextWeek))),
        ];
    }

    private static Step<ConsultationState, IConsultationEvent>[] ConsultationSteps()
    {
        var child = PatientAged(ageYears: 4, guardian: Mother);
        var institution = Records.Domain.Institution.InstitutionDecider.Evolve(Records.Domain.Institution.InstitutionState.Initial,
            new Records.Domain.Institution.InstitutionRegistered(Hospital, "h", "l", "p", "330000", ["内科", "儿科"], T0));
        ConsultationContext Ctx(Place place) => new(T0, Regulation(place), child, institution, PractitionerFor(Doctor, verifiedFor: ["c-1"]), []);
        Step<ConsultationState, IConsultationEvent> S(string name, IConsultationCommand command, Place? place = null) =>
            new(name, s => CS.Decide(command, s, Ctx(place ?? Zhejiang)));

        return
        [
            S("request follow-up", new RequestConsultation(By(GuardianActor), "c-1", PatientActor.Id, ConsultationKind.OnlineFollowUp, "内科", "复诊", false)),
            S("request first visit", new RequestConsultation(By(GuardianActor), "c-1", PatientActor.Id, ConsultationKind.OnlineFollowUp, "儿科", "首诊", true)),
            S("request first visit in Beijing", new RequestConsultation(By(GuardianActor), "c-1", PatientActor.Id, ConsultationKind.OnlineFollowUp, "儿科", "首诊", true), Beijing),
            S("request remote", new RequestConsultation(By(Doctor), "c-1", PatientActor.Id, ConsultationKind.RemoteConsultation, "内科", "会诊", false)),
            S("accept", new AcceptConsultation(By(Doctor))),
            S("accept by AI", new AcceptConsultation(By(Ai))),
            S("evidence", new AttachOfflineEvidence(By(GuardianActor), EvidenceKind.OutpatientRecord, "doc://1", Hash("opd"), "医院", [Hypertension])),
            S("message", new PostMessage(By(GuardianActor), "m-1", MessageKind.Text, "好", null, null)),
            S("attest", new AttestChildSafeguards(By(Doctor), Mother.GuardianId, "dr-peds")),
            S("diagnose same", new RecordDiagnosis(By(Doctor), Hypertension)),
            S("diagnose other", new RecordDiagnosis(By(Doctor), Diabetes)),
            S("assess risk", new AssessRisk(By(Doctor), RiskLevel.High, "注意")),
            S("flag change", new FlagConditionChange(By(Doctor), "加重", false)),
            S("terminate", new TerminateAndRefer(By(Doctor), "病情变化", "急诊")),
            S("complete", new CompleteConsultation(By(Doctor), "完成")),
        ];
    }

    private static Step<ClinicalDocumentState, IClinicalDocumentEvent>[] DocumentSteps()
    {
        var list = Hash("sealing list");
        var both = new[] { Signatures.Signed(Quality, list, "sig-hospital"), Signatures.Signed(GuardianActor, list, "sig-patient") };
        ClinicalDocumentContext Ctx(Instant now, params SignatureState[] signatures) =>
            new(now, Regulation(), PatientAged(guardian: Mother), signatures.ToDictionary(x => x.Id));
        Step<ClinicalDocumentState, IClinicalDocumentEvent> S(string name, IClinicalDocumentCommand command, Instant? now = null) =>
            new(name, s => CD.Decide(command, s, Ctx(now ?? T0, [.. both, .. s.Created ? [Signatures.Signed(Doctor, s.Current!.SigningHash(s.Id), "sig-doc")] : Array.Empty<SignatureState>()])));

        return
        [
            S("create", new CreateDocument(By(Doctor), "doc-1", PatientActor.Id, null, DocumentKind.RescueNote, "抢救记录", Hash("v1"), T0)),
            S("amend", new AmendDocument(By(Doctor), Hash("v2"), "补充")),
            S("sign", new SignDocument(By(Doctor), "sig-doc")),
            S("sign late", new SignDocument(By(Doctor), "sig-doc"), T0.Plus(Duration.FromHours(8))),
            S("archive", new ArchiveDocument(By(Quality))),
            S("seal", new SealDocument(By(Quality), "dispute-1", list, "sig-hospital", "sig-patient")),
            S("seal part", new SealCompletedPart(By(Doctor), Hash("part"), "后续记录")),
            S("unseal resolved", new UnsealDocument(By(Quality), UnsealGround.DisputeResolved, "调解书")),
            S("unseal early", new UnsealDocument(By(Quality), UnsealGround.NoClaimWithinPeriod, null)),
        ];
    }
}
