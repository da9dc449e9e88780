namespace Records.Domain.Tests.Streams;

using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Signature;
using static Records.Domain.Consultation.ConsultationDecider;

public class ConsultationTests
{
    private static readonly InstitutionState Institution = InstitutionDecider.Evolve(InstitutionState.Initial,
        new InstitutionRegistered(Hospital, "某互联网医院", "PDY-001", "某市人民医院", "330000", ["内科", "儿科"], T0));

    private static ConsultationContext Ctx(
        PatientState? patient = null, PractitionerState? practitioner = null, IReadOnlyList<ConsentState>? consents = null, Instant? now = null,
        Place? place = null) =>
        new(now ?? T0, Regulation(place), patient ?? PatientAged(), Institution, practitioner ?? PractitionerFor(Doctor, verifiedFor: ["c-1"]), consents ?? []);

    private static RequestConsultation Request(
        ConsultationKind kind = ConsultationKind.OnlineFollowUp, bool firstVisit = false, string subject = "内科", Actor? by = null) =>
        new(By(by ?? PatientActor), "c-1", PatientActor.Id, kind, subject, "复诊开药", firstVisit);

    private static ConsultationState Apply(ConsultationState state, Decision<IConsultationEvent> decision) =>
        decision.Accepted().Aggregate(state, Evolve);

    private static ConsultationState Run(ConsultationContext context, params IConsultationCommand[] commands) =>
        commands.Aggregate(ConsultationState.Initial, (state, command) => Apply(state, Decide(command, state, context)));

    private static AttachOfflineEvidence Evidence(Diagnosis diagnosis) =>
        new(By(PatientActor), EvidenceKind.OutpatientRecord, "doc://opd/1", Hash("opd"), "某市人民医院", [diagnosis]);

    [Fact]
    public void Full_lifecycle_of_an_online_follow_up()
    {
        var state = Run(Ctx(),
            Request(),
            new AcceptConsultation(By(Doctor)),
            Evidence(Hypertension),
            new PostMessage(By(PatientActor), "m-1", MessageKind.Text, "血压偏高", null, null),
            new PostMessage(By(Doctor), "m-2", MessageKind.Image, null, "blob://m-2", Hash("image")),
            new DeclareAiAssistance(By(Doctor), "triage-model", "预问诊摘要"),
            new RecordDiagnosis(By(Doctor), Hypertension),
            new AssessRisk(By(Doctor), RiskLevel.Low, "稳定"),
            new CompleteConsultation(By(Doctor), "续方"));

        Assert.Equal(ConsultationStatus.Completed, state.Status);
        Assert.Equal(Doctor.Id, state.DoctorId);
        Assert.Equal(Hospital, state.InstitutionId);
        Assert.Equal(2, state.Messages);
        Assert.Equal([Hypertension], state.Diagnoses);
        Assert.Equal(["triage-model"], state.AiTools);
    }

    // 宁夏互联网医院监管标准 应急处置: a condition change stops the visit; it ends in termination and referral.
    [Fact]
    public void Emergency_handling_a_condition_change_leads_only_to_termination_and_referral()
    {
        var stopping = Run(Ctx(), Request(), new AcceptConsultation(By(Doctor)), Evidence(Hypertension), new FlagConditionChange(By(Doctor), "胸痛加重", false));
        Assert.Equal(ConsultationStatus.MustStop, stopping.Status);

        Decide(new CompleteConsultation(By(Doctor), "done"), stopping, Ctx()).Rejected("visit.must_terminate", RuleIds.StopOnConditionChange);
        Decide(new RecordDiagnosis(By(Doctor), Hypertension), stopping, Ctx()).Rejected("visit.stopped", RuleIds.StopOnConditionChange);
        Decide(new PostMessage(By(Doctor), "m-9", MessageKind.Text, "请立即去急诊", null, null), stopping, Ctx()).Accepted();

        var terminated = Apply(stopping, Decide(new TerminateAndRefer(By(Doctor), "病情变化", "某市人民医院急诊"), stopping, Ctx()));
        Assert.Equal(ConsultationStatus.Terminated, terminated.Status);
        Decide(new TerminateAndRefer(By(Doctor), "again", "x"), terminated, Ctx()).Rejected("consultation.illegal_transition");
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        var requested = Run(Ctx(), Request());
        Decide(new AcceptConsultation(By(Doctor)), ConsultationState.Initial, Ctx()).Rejected("consultation.not_found");
        Decide(Request(), requested, Ctx()).Rejected("consultation.already_exists");
        Decide(new RecordDiagnosis(By(Doctor), Hypertension), requested, Ctx()).Rejected("consultation.not_the_doctor");
        Decide(new PostMessage(By(PatientActor), "m-1", MessageKind.Text, "hi", null, null), requested, Ctx()).Rejected("consultation.illegal_transition");

        var accepted = Apply(requested, Decide(new AcceptConsultation(By(Doctor)), requested, Ctx()));
        Decide(new AcceptConsultation(By(Doctor)), accepted, Ctx()).Rejected("consultation.illegal_transition");
        Decide(new RecordDiagnosis(By(OtherDoctor), Hypertension), accepted, Ctx()).Rejected("consultation.not_the_doctor");
        Decide(new PostMessage(By(new Actor("pt-other", Role.Patient, true)), "m-1", MessageKind.Text, "hi", null, null), accepted, Ctx())
            .Rejected("consultation.role_not_allowed");
        Decide(new PostMessage(By(PatientActor), "m-1", MessageKind.Video, null, "blob://v", "not-a-hash"), accepted, Ctx())
            .Rejected("consultation.invalid_message");
        Decide(new AttachOfflineEvidence(By(PatientActor), EvidenceKind.DischargeSummary, "doc://x", Hash("x"), "医院", []), accepted, Ctx())
            .Rejected("consultation.invalid_evidence");

        var completed = Run(Ctx(), Request(), new AcceptConsultation(By(Doctor)), new CompleteConsultation(By(Doctor), "done"));
        Decide(new CompleteConsultation(By(Doctor), "done"), completed, Ctx()).Rejected("consultation.illegal_transition");
        Decide(new FlagConditionChange(By(Doctor), "x", false), completed, Ctx()).Rejected("consultation.illegal_transition");
    }

    [Fact]
    public void Online_advice_does_not_diagnose()
    {
        var advice = Run(Ctx(), Request(ConsultationKind.OnlineAdvice, firstVisit: true), new AcceptConsultation(By(Doctor)));
        Decide(new RecordDiagnosis(By(Doctor), Hypertension), advice, Ctx()).Rejected("consultation.advice_has_no_diagnosis");
    }

    // 互联网诊疗管理办法（试行） Art. 16: no online diagnosis for a first visit.
    [Fact]
    public void Art16_a_first_visit_is_not_treated_online()
    {
        Decide(Request(firstVisit: true), ConsultationState.Initial, Ctx()).Rejected("visit.first_visit_online", RuleIds.NoOnlineFirstVisit);
        Assert.Null(Decide(Request(firstVisit: false), ConsultationState.Initial, Ctx()).Accepted().One<ConsultationRequested>().FirstVisitPilot);
    }

    // Beijing 2026 paediatric online first-visit pilot (configuration in RuleCatalog).
    [Fact]
    public void The_Beijing_pilot_lets_a_paediatric_first_visit_online_in_2026_only()
    {
        var child = PatientAged(ageYears: 8, guardian: Mother);
        var byGuardian = Request(firstVisit: true, subject: "儿科", by: GuardianActor);

        var requested = Decide(byGuardian, ConsultationState.Initial, Ctx(child, place: Beijing)).Accepted().One<ConsultationRequested>();
        Assert.Contains("北京", requested.FirstVisitPilot);

        Decide(Request(firstVisit: true, subject: "内科", by: GuardianActor), ConsultationState.Initial, Ctx(child, place: Beijing))
            .Rejected("visit.first_visit_online", RuleIds.NoOnlineFirstVisit);
        Decide(byGuardian, ConsultationState.Initial, Ctx(PatientAged(ageYears: 20, guardian: Mother), place: Beijing))
            .Rejected("visit.first_visit_online", RuleIds.NoOnlineFirstVisit);
        Decide(byGuardian, ConsultationState.Initial, Ctx(child, place: Zhejiang)).Rejected("visit.first_visit_online", RuleIds.NoOnlineFirstVisit);
        Decide(byGuardian with { Meta = By(GuardianActor, T0.Plus(Duration.FromDays(365))) }, ConsultationState.Initial,
                Ctx(child, now: Instant.FromUtc(2027, 3, 1, 0, 0), place: Beijing))
            .Rejected("visit.first_visit_online", RuleIds.NoOnlineFirstVisit);

        // Under the pilot the visit may diagnose without offline evidence.
        var state = Run(Ctx(child, place: Beijing), byGuardian, new AcceptConsultation(By(Doctor)));
        Decide(new RecordDiagnosis(By(Doctor), new Diagnosis("J06.9", "急性上呼吸道感染")), state, Ctx(child, place: Beijing)).Accepted();
    }

    // 互联网诊疗管理办法（试行） Art. 16: a follow-up rests on offline evidence of the same diagnosis.
    [Fact]
    public void Art16_a_follow_up_diagnosis_needs_offline_evidence_of_the_same_diagnosis()
    {
        var noEvidence = Run(Ctx(), Request(), new AcceptConsultation(By(Doctor)));
        Decide(new RecordDiagnosis(By(Doctor), Hypertension), noEvidence, Ctx()).Rejected("visit.no_offline_evidence", RuleIds.FollowUpNeedsOfflineEvidence);

        var withEvidence = Apply(noEvidence, Decide(Evidence(Hypertension), noEvidence, Ctx()));
        Decide(new RecordDiagnosis(By(Doctor), Diabetes), withEvidence, Ctx()).Rejected("visit.diagnosis_not_evidenced", RuleIds.FollowUpSameDiagnosis);
        Decide(new RecordDiagnosis(By(Doctor), Hypertension), withEvidence, Ctx()).Accepted();
    }

    // 远程医疗服务管理规范（试行）: remote consultation needs written (signed) consent.
    [Fact]
    public void Telemedicine_norms_remote_consultation_needs_written_consent()
    {
        var remote = Request(ConsultationKind.RemoteConsultation, by: Doctor);
        Decide(remote, ConsultationState.Initial, Ctx()).Rejected("visit.no_written_consent", RuleIds.RemoteConsultationWrittenConsent);

        ConsentState Consent(string? signatureId, ConsentScope scope = ConsentScope.RemoteConsultation) => ConsentDecider.Evolve(ConsentState.Initial,
            new ConsentGranted("cs-1", PatientActor.Id, scope, "v1", Hash("form"), null, PatientActor.Id, false, signatureId, T0, []));

        Decide(remote, ConsultationState.Initial, Ctx(consents: [Consent(null)])).Rejected("visit.no_written_consent", RuleIds.RemoteConsultationWrittenConsent);
        Decide(remote, ConsultationState.Initial, Ctx(consents: [Consent("sig-1", ConsentScope.OnlineVisit)]))
            .Rejected("visit.no_written_consent", RuleIds.RemoteConsultationWrittenConsent);
        var withdrawn = ConsentDecider.Evolve(Consent("sig-1"), new ConsentWithdrawn(PatientActor.Id, "不同意", T0));
        Decide(remote, ConsultationState.Initial, Ctx(consents: [withdrawn])).Rejected("visit.no_written_consent", RuleIds.RemoteConsultationWrittenConsent);

        Decide(remote, ConsultationState.Initial, Ctx(consents: [Consent("sig-1")])).Accepted();
    }

    // 远程医疗服务管理规范（试行）; Ningxia: the remote consultation report carries the diagnosing doctor's signature.
    [Fact]
    public void Telemedicine_norms_a_remote_consultation_completes_only_with_its_report_signed_by_the_diagnosing_doctor()
    {
        var consent = ConsentDecider.Evolve(ConsentState.Initial,
            new ConsentGranted("cs-1", PatientActor.Id, ConsentScope.RemoteConsultation, "v1", Hash("form"), null, PatientActor.Id, false, "sig-1", T0, []));
        var visit = Run(Ctx(consents: [consent]), Request(ConsultationKind.RemoteConsultation, by: Doctor), new AcceptConsultation(By(Doctor)));
        var report = Hash("会诊报告 c-1");
        var signed = new SignedReport(report, "sig-report");
        ConsultationContext With(SignatureState? signature) => Ctx(consents: [consent]) with { Signature = signature };

        Decide(new CompleteConsultation(By(Doctor), "会诊完成"), visit, With(null))
            .Rejected("visit.report_not_signed", RuleIds.RemoteConsultationSignedReport);
        Decide(new CompleteConsultation(By(Doctor), "会诊完成", signed), visit, With(null))
            .Rejected("signature.not_recorded", RuleIds.ReliableSignature);
        Decide(new CompleteConsultation(By(Doctor), "会诊完成", signed), visit, With(Signatures.Signed(OtherDoctor, report, "sig-report", "consultation", "c-1")))
            .Rejected("signature.wrong_signer", RuleIds.ReliableSignature);
        Decide(new CompleteConsultation(By(Doctor), "会诊完成", signed), visit, With(Signatures.Signed(Doctor, Hash("另一份报告"), "sig-report", "consultation", "c-1")))
            .Rejected("signature.wrong_content", RuleIds.ReliableSignature);
        Decide(new CompleteConsultation(By(Doctor), "会诊完成", signed with { ReportHash = "not a hash" }), visit, With(null))
            .Rejected("visit.invalid_report_hash");

        var events = Decide(new CompleteConsultation(By(Doctor), "会诊完成", signed), visit, With(Signatures.Signed(Doctor, report, "sig-report", "consultation", "c-1")))
            .Accepted();
        Assert.Equal((report, "sig-report", Doctor.Id), events.OfType<ConsultationReportSigned>().Single() is var e ? (e.ReportHash, e.SignatureId, e.SignerId) : default);
        var completed = events.Aggregate(visit, Evolve);
        Assert.Equal((ConsultationStatus.Completed, "sig-report"), (completed.Status, completed.ReportSignatureId));
    }

    [Fact]
    public void An_online_follow_up_completes_without_a_signed_report()
    {
        var visit = Run(Ctx(), Request(), new AcceptConsultation(By(Doctor)));
        Assert.IsType<ConsultationCompleted>(Assert.Single(Decide(new CompleteConsultation(By(Doctor), "完成"), visit, Ctx()).Accepted()));
    }

    // 互联网诊疗管理办法（试行） Art. 19: a child under 6 with a guardian and a relevant specialist present.
    [Fact]
    public void Art19_a_child_under_six_is_diagnosed_only_with_guardian_and_specialist_attested()
    {
        var child = PatientAged(ageYears: 5, guardian: Mother);
        var visit = Run(Ctx(child), Request(by: GuardianActor), new AcceptConsultation(By(Doctor)), Evidence(Hypertension));
        Decide(new RecordDiagnosis(By(Doctor), Hypertension), visit, Ctx(child))
            .Rejected("visit.child_without_guardian_and_specialist", RuleIds.ChildGuardianAndSpecialist);

        Decide(new AttestChildSafeguards(By(Doctor), "someone-else", "dr-peds"), visit, Ctx(child)).Rejected("consultation.not_the_guardian");
        var attested = Apply(visit, Decide(new AttestChildSafeguards(By(Doctor), Mother.GuardianId, "dr-peds"), visit, Ctx(child)));
        Decide(new RecordDiagnosis(By(Doctor), Hypertension), attested, Ctx(child)).Accepted();
    }

    // 互联网医院管理办法（试行）: services within the approved subjects.
    [Fact]
    public void Hospital_measures_a_subject_the_hospital_is_not_approved_for_is_refused()
    {
        Decide(Request(subject: "精神科"), ConsultationState.Initial, Ctx()).Rejected("visit.subject_not_approved", RuleIds.WithinApprovedSubjects);
    }

    // 互联网诊疗监管细则（试行）: the accepting doctor is a verified person, registered here and active.
    [Fact]
    public void Supervision_rules_the_accepting_doctor_is_verified_for_this_consultation_and_not_a_machine()
    {
        var requested = Run(Ctx(), Request());
        Decide(new AcceptConsultation(By(Doctor)), requested, Ctx(practitioner: PractitionerFor(Doctor, verifiedFor: ["c-other"])))
            .Rejected("practitioner.not_real_name_verified", RuleIds.PractitionerRealNameVerified);
        Decide(new AcceptConsultation(By(Ai)), requested, Ctx()).Rejected("clinical.machine_actor", RuleIds.NoMachineClinician);
        var suspended = PractitionerDecider.Evolve(PractitionerFor(Doctor, verifiedFor: ["c-1"]), new PractitionerSuspended("x", T0));
        Decide(new AcceptConsultation(By(Doctor)), requested, Ctx(practitioner: suspended)).Rejected("practitioner.suspended", RuleIds.PractitionerNotSuspended);
        Decide(new AcceptConsultation(By(Doctor)), requested, Ctx()).Accepted();
    }

    // 宁夏互联网医院监管标准: no major violation or bad-credit record in 3 years, in Ningxia only.
    [Fact]
    public void Ningxia_stops_a_doctor_with_bad_practice_points_in_the_last_three_years_from_accepting()
    {
        var requested = Run(Ctx(), Request());
        var doctor = PractitionerFor(Doctor, verifiedFor: ["c-1"]);
        var recent = PractitionerDecider.Evolve(doctor, new BadPracticePointsRecorded(2, "超时回复", T0.Minus(Duration.FromDays(2 * 365))));
        var old = PractitionerDecider.Evolve(doctor, new BadPracticePointsRecorded(2, "超时回复", T0.Minus(Duration.FromDays(3 * 366))));

        Decide(new AcceptConsultation(By(Doctor)), requested, Ctx(practitioner: recent, place: Ningxia))
            .Rejected("practitioner.recent_bad_record", RuleIds.PractitionerCleanRecord);
        Decide(new AcceptConsultation(By(Doctor)), requested, Ctx(practitioner: old, place: Ningxia)).Accepted();
        Decide(new AcceptConsultation(By(Doctor)), requested, Ctx(practitioner: recent)).Accepted();
    }

    [Fact]
    public void Ningxia_clean_record_threshold_is_a_rule_parameter()
    {
        var requested = Run(Ctx(), Request());
        var recent = PractitionerDecider.Evolve(PractitionerFor(Doctor, verifiedFor: ["c-1"]), new BadPracticePointsRecorded(2, "超时回复", T0.Minus(Duration.FromDays(30))));
        var ningxia = RuleCatalog.Default.Find(RuleIds.PractitionerCleanRecord, Ningxia, T0)!;
        var lenient = RuleCatalog.Default.With(ningxia with { Jurisdiction = Jurisdiction.Institution(Hospital), Parameters = new RecentPointsLimit(3, 2) });
        var context = Ctx(practitioner: recent, place: Ningxia) with { Regulation = new Regulation(lenient, Ningxia) };

        Decide(new AcceptConsultation(By(Doctor)), requested, context).Accepted();
        Assert.Null(RuleCatalog.Default.Find(RuleIds.PractitionerCleanRecord, Zhejiang, T0));
    }

    [Fact]
    public void Only_the_patient_their_guardian_or_an_inviting_doctor_requests()
    {
        Decide(Request(by: new Actor("pt-other", Role.Patient, true)), ConsultationState.Initial, Ctx()).Rejected("consultation.role_not_allowed");
        Decide(Request(by: Doctor), ConsultationState.Initial, Ctx()).Rejected("consultation.role_not_allowed");
        // A patient not registered has no patient side; an inviting doctor learns that the patient is not there.
        Decide(Request(), ConsultationState.Initial, Ctx() with { Patient = null }).Rejected("consultation.role_not_allowed");
        Decide(Request(kind: ConsultationKind.RemoteConsultation, by: Doctor), ConsultationState.Initial, Ctx() with { Patient = null }).Rejected("patient.not_found");
        // Who may act is answered before the record's existence.
        Decide(Request(by: Doctor), Run(Ctx(), Request()), Ctx()).Rejected("consultation.role_not_allowed");
    }

    // Guangdong notice (亮证经营): the first doctor reply later than the published limit is flagged.
    [Fact]
    public void Guangdong_notice_a_first_reply_after_the_published_limit_is_flagged()
    {
        var published = InstitutionDecider.Evolve(Institution, new ServiceTermsPublished(Duration.FromMinutes(30), [], T0));
        var context = Ctx() with { Institution = published };
        var accepted = Run(context, Request(), new AcceptConsultation(By(Doctor)));
        var reply = new PostMessage(By(Doctor), "m-1", MessageKind.Text, "您好", null, null);

        Assert.Empty(Decide(reply, accepted, context with { Now = T0.Plus(Duration.FromMinutes(29)) }).Accepted().One<MessagePosted>().Flags);
        var late = Decide(reply, accepted, context with { Now = T0.Plus(Duration.FromMinutes(45)) }).Accepted().One<MessagePosted>();
        Assert.Equal(("visit.reply_late", RuleIds.ReplyWithinPublishedLimit), (late.Flags[0].Code, late.Flags[0].RuleId));

        var replied = Evolve(accepted, late);
        Assert.Empty(Decide(reply, replied, context with { Now = T0.Plus(Duration.FromHours(2)) }).Accepted().One<MessagePosted>().Flags);
        Assert.Empty(Decide(reply with { Meta = By(PatientActor) }, accepted, context with { Now = T0.Plus(Duration.FromHours(2)) }).Accepted().One<MessagePosted>().Flags);
    }

    // National basic standard; Ningxia 执业行为: informed consent before online treatment (a flag).
    [Fact]
    public void Informed_consent_a_follow_up_without_online_visit_consent_is_flagged()
    {
        var unconsented = Decide(Request(), ConsultationState.Initial, Ctx(consents: [])).Accepted().One<ConsultationRequested>();
        Assert.Equal(RuleIds.InformedConsentForOnlineVisit, Assert.Single(unconsented.Flags).RuleId);

        var consent = ConsentDecider.Evolve(ConsentState.Initial,
            new ConsentGranted("cs-1", PatientActor.Id, ConsentScope.OnlineVisit, "v1", Hash("form"), null, PatientActor.Id, false, null, T0, []));
        Assert.Empty(Decide(Request(), ConsultationState.Initial, Ctx(consents: [consent])).Accepted().One<ConsultationRequested>().Flags);
    }

    /// <summary>A rule's kind is data: an institution that configures the first-visit rule to flag lets the visit through, flagged.</summary>
    [Fact]
    public void A_rule_configured_to_flag_lets_the_command_through_with_the_flag_on_the_event()
    {
        var flagging = new Rule(RuleIds.NoOnlineFirstVisit, "本院试点", Confidence.Unconfirmed, Jurisdiction.Institution(Hospital), new Interval(T0, null),
            RuleKind.Flags, new FirstVisitPolicy(null), "First visits are shown to the regulator, not stopped.");
        var context = Ctx() with { Regulation = new Regulation(RuleCatalog.Default.With(flagging), Zhejiang) };

        var requested = Decide(Request(firstVisit: true), ConsultationState.Initial, context).Accepted().One<ConsultationRequested>();
        Assert.Contains(requested.Flags, f => f.RuleId == RuleIds.NoOnlineFirstVisit && f.Source == "本院试点");
    }

    [Fact]
    public void A_doctor_suspended_during_the_visit_can_still_terminate_and_refer_but_not_diagnose()
    {
        var visit = Run(Ctx(), Request(), new AcceptConsultation(By(Doctor)), Evidence(Hypertension));
        var suspended = Ctx(practitioner: PractitionerDecider.Evolve(PractitionerFor(Doctor, verifiedFor: ["c-1"]), new PractitionerSuspended("x", T0)));
        Decide(new RecordDiagnosis(By(Doctor), Hypertension), visit, suspended).Rejected("practitioner.suspended", RuleIds.PractitionerNotSuspended);
        Decide(new TerminateAndRefer(By(Doctor), "停诊", "某市人民医院"), visit, suspended).Accepted();
    }
}
