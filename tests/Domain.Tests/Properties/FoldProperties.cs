namespace Records.Domain.Tests.Properties;

using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Records.Domain.AdverseEvent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Complaint;
using Records.Domain.Retention;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.Domain.Serialization;
using Records.Domain.Signature;
using AE = Records.Domain.AdverseEvent.AdverseEventDecider;
using CD = Records.Domain.ClinicalDocument.ClinicalDocumentDecider;
using CN = Records.Domain.Consent.ConsentDecider;
using CO = Records.Domain.Complaint.ComplaintDecider;
using CS = Records.Domain.Consultation.ConsultationDecider;
using PR = Records.Domain.Practitioner.PractitionerDecider;
using RA = Records.Domain.RecordAccess.RecordAccessDecider;
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
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(100);

    [Fact]
    public void Prescription_histories_fold_without_throwing_and_replay_deterministically() =>
        Holds(PrescriptionState.Initial, RX.Evolve, PrescriptionSteps());

    [Fact]
    public void Consultation_histories_fold_without_throwing_and_replay_deterministically() =>
        Holds(ConsultationState.Initial, CS.Evolve, ConsultationSteps());

    [Fact]
    public void Clinical_document_histories_fold_without_throwing_and_replay_deterministically() =>
        Holds(ClinicalDocumentState.Initial, CD.Evolve, DocumentSteps());

    [Fact]
    public void Practitioner_histories_fold_without_throwing_and_replay_deterministically()
    {
        var context = new PractitionerContext(T0, SignatureVerifiers.Default);
        using var key = new TestKey();
        Step<PractitionerState, IPractitionerEvent> S(string name, IPractitionerCommand command) => new(name, s => PR.Decide(command, s, context));
        Holds(PractitionerState.Initial, PR.Evolve,
        [
            S("register", new RegisterPractitioner(By(Admin), Doctor.Id, "李医生", Profession.Physician, "主治医师", TitleGrade.Intermediate, "110", new LocalDate(2014, 1, 1))),
            S("enrol", new Enrol(By(Admin), Hospital, EnrolmentKind.Registered, ["内科"])),
            S("end enrolment", new EndEnrolment(By(Admin), Hospital, "离职")),
            S("verify", new VerifyRealName(By(Service), "c-1", "face")),
            S("suspend", new Suspend(By(Quality), "x")),
            S("reinstate", new Reinstate(By(Quality), "y")),
            S("points", new RecordBadPracticePoints(By(Quality), 2, "z")),
            S("register key", new RegisterSigningKey(By(Doctor), key.Registered)),
            S("revoke key", new RevokeSigningKey(By(Doctor), key.Registered.Fingerprint, "lost")),
        ]);
    }

    [Fact]
    public void Signature_histories_fold_without_throwing_and_replay_deterministically()
    {
        using var key = new TestKey();
        using var stranger = new TestKey();
        var content = Hash("prescription rx-1 v1");
        var context = new SignatureContext(T0, Regulation(), [new RegisteredKey(key.Registered, null)], SignatureVerifiers.Default);
        RecordSignature Signing(TestKey signer, string signed, Instant claimed) =>
            new(By(Doctor, claimed), "sig-1", new SubjectRef("prescription", "rx-1", 1), content, SignatureAlgorithm.EcdsaP256WithSha256,
                signer.Registered.Fingerprint, signer.Sign(signed));
        Step<SignatureState, ISignatureEvent> S(string name, RecordSignature command) => new(name, s => SignatureDecider.Decide(command, s, context));
        Holds(SignatureState.Initial, SignatureDecider.Evolve,
        [
            S("sign", Signing(key, content, T0)),
            S("sign with a skewed clock", Signing(key, content, T0.Minus(Duration.FromHours(3)))),
            S("sign other content", Signing(key, Hash("tampered"), T0)),
            S("sign with an unregistered key", Signing(stranger, content, T0)),
            S("sign a bad hash", Signing(key, content, T0) with { SubjectHash = "not a hash" }),
        ]);
    }

    [Fact]
    public void The_smaller_streams_histories_fold_without_throwing_and_replay_deterministically()
    {
        var patient = PatientAged(guardian: Mother);
        Step<ConsentState, IConsentEvent> Consent(string name, IConsentCommand command) =>
            new(name, s => CN.Decide(command, s, new ConsentContext(T0, Regulation(), patient, null)));
        Holds(ConsentState.Initial, CN.Evolve,
        [
            Consent("grant", new GrantConsent(By(PatientActor), "cs-1", PatientActor.Id, ConsentScope.OnlineVisit, "v1", Hash("form"), null, null)),
            Consent("grant signed", new GrantConsent(By(GuardianActor), "cs-1", PatientActor.Id, ConsentScope.RemoteConsultation, "v1", Hash("form"), null, "sig-x")),
            Consent("withdraw", new WithdrawConsent(By(GuardianActor), "x")),
        ]);

        Step<AdverseEventState, IAdverseEventEvent> Adverse(string name, IAdverseEventCommand command, int hours = 0) =>
            new(name, s => AE.Decide(command, s, new AdverseEventContext(T0.Plus(Duration.FromHours(hours)), Regulation())));
        Holds(AdverseEventState.Initial, AE.Evolve,
        [
            Adverse("record", new RecordAdverseEvent(By(Doctor), "ae-1", null, AdverseEventCategory.DataLeak, Severity.Severe, "泄露", T0)),
            Adverse("report late", new ReportAdverseEvent(By(Quality), "网信办", "r"), 30),
            Adverse("investigate", new RecordAdverseEventInvestigation(By(Quality), "f")),
            Adverse("close", new CloseAdverseEvent(By(Quality), "o")),
        ]);

        Step<ComplaintState, IComplaintEvent> Complaint(string name, IComplaintCommand command) =>
            new(name, s => CO.Decide(command, s, new ComplaintContext(T0, patient)));
        Holds(ComplaintState.Initial, CO.Evolve,
        [
            Complaint("lodge", new LodgeComplaint(By(PatientActor), "cp-1", PatientActor.Id, Doctor.Id, null, "慢")),
            Complaint("report", new ReportComplaint(By(Quality), "卫健委", "r")),
            Complaint("investigate", new RecordComplaintInvestigation(By(Quality), "f")),
            Complaint("close", new CloseComplaint(By(Quality), true, "r")),
        ]);

        var retained = new RetainedRecord(RetainedRecordKind.Prescription, "rx-1", new LocalDate(2025, 1, 1));
        Step<PurgeState, IPurgeEvent> Purge(string name, IPurgeCommand command) =>
            new(name, s => PurgeDecider.Decide(command, s, new PurgeContext(T0, Regulation(), retained)));
        Holds(PurgeState.Initial, PurgeDecider.Evolve,
        [
            Purge("purge", new PurgeRecord(By(Admin), "purge-1", RetainedRecordKind.Prescription, "rx-1", "保存期满")),
            Purge("purge other", new PurgeRecord(By(Admin), "purge-1", RetainedRecordKind.Prescription, "rx-2", "保存期满")),
            Purge("not admin", new PurgeRecord(By(Quality), "purge-1", RetainedRecordKind.Prescription, "rx-1", "x")),
        ]);

        Step<RecordAccessState, IRecordAccessEvent> Access(string name, IRecordAccessCommand command, bool care) =>
            new(name, s => RA.Decide(command, s, new RecordAccessContext(T0, Regulation(), care)));
        Holds(RecordAccessState.Initial, RA.Evolve,
        [
            Access("read", new RecordRead(By(Doctor), "ac-1", PatientActor.Id, "emr", PurposeOfUse.Treatment, null), true),
            Access("break glass", new RecordRead(By(OtherDoctor), "ac-1", PatientActor.Id, "emr", PurposeOfUse.Emergency, "抢救"), false),
            Access("no reason", new RecordRead(By(OtherDoctor), "ac-1", PatientActor.Id, "emr", PurposeOfUse.Emergency, null), false),
            Access("review", new ReviewBreakGlass(By(Quality), true, "ok"), false),
        ]);

        var patientContext = new PatientContext(T0, Regulation(), SignatureVerifiers.Default);
        Step<PatientState, IPatientEvent> PatientStep(string name, IPatientCommand command) =>
            new(name, s => PatientDecider.Decide(command, s, patientContext));
        Holds(PatientState.Initial, PatientDecider.Evolve,
        [
            PatientStep("register", new RegisterPatient(By(PatientActor), PatientActor.Id, "张三", Sex.Male, new LocalDate(1990, 1, 1), Hash("id"), "138")),
            PatientStep("guardian", new AssignGuardian(By(PatientActor), Mother)),
            PatientStep("contact", new ChangeContact(By(PatientActor), "139")),
        ]);

        var institutionContext = new InstitutionContext(T0);
        Step<InstitutionState, IInstitutionEvent> InstitutionStep(string name, IInstitutionCommand command) =>
            new(name, s => InstitutionDecider.Decide(command, s, institutionContext));
        Holds(InstitutionState.Initial, InstitutionDecider.Evolve,
        [
            InstitutionStep("register", new RegisterInstitution(By(Admin), Hospital, "h", "l", "p", "330000", ["内科"])),
            InstitutionStep("approve", new ApproveSubjects(By(Admin), ["内科", "儿科"])),
            InstitutionStep("terms", new PublishServiceTerms(By(Admin), Duration.FromMinutes(30), [])),
            InstitutionStep("connect", new ConnectToPlatform(By(Admin), "ZJ")),
        ]);
    }

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
            S("select drugs", s => RX.Decide(new SelectDrugs(By(Pharmacist), "pharmacy-9"), s, Reviewer(s, later))),
            S("take payment", s => RX.Decide(new TakePayment(By(Service), 36.5m, "PAY-1"), s, Reviewer(s, later))),
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
        var institution = InstitutionDecider.Evolve(InstitutionState.Initial,
            new InstitutionRegistered(Hospital, "h", "l", "p", "330000", ["内科", "儿科"], T0));
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
