namespace Records.Domain.Tests.Streams;

using Records.Domain.Consultation;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.Signature;
using static Records.Domain.Prescription.PrescriptionDecider;

public class PrescriptionTests
{
    private static readonly PrescriptionLine Amlodipine = new("氨氯地平片", DrugClass.Ordinary, "片剂", "5mg", 7m, "片", "每日一次，每次5mg", 7);
    private static readonly Instant ReviewTime = T0.Plus(Duration.FromMinutes(5));

    private static PrescriptionContext Ctx(
        ConsultationState? visit = null, PractitionerState? practitioner = null, PatientState? patient = null, SignatureState? signature = null,
        Instant? now = null, Place? place = null) =>
        new(now ?? T0, Regulation(place), practitioner ?? PractitionerFor(Doctor, verifiedFor: ["c-1"]), visit ?? FollowUp(), patient ?? PatientAged(), signature);

    private static PrescriptionContext ReviewCtx(PrescriptionState rx, Actor? reviewer = null, PractitionerState? practitioner = null, Instant? now = null)
    {
        var by = reviewer ?? Pharmacist;
        return new(now ?? ReviewTime, Regulation(), practitioner ?? PractitionerFor(by, Profession.Pharmacist), null, null, Signatures.Signed(by, rx.SigningHash, "sig-review"));
    }

    private static DraftPrescription Draft(
        Actor? by = null, PrescriptionLine[]? lines = null, Diagnosis[]? diagnoses = null, bool emergency = false, string? reason = null) =>
        new(By(by ?? Doctor), "rx-1", "c-1", diagnoses ?? [Hypertension], lines ?? [Amlodipine], emergency, reason);

    private static PrescriptionState Apply(PrescriptionState state, Decision<IPrescriptionEvent> decision) =>
        decision.Accepted().Aggregate(state, Evolve);

    private static PrescriptionState Drafted(Instant? at = null) =>
        Apply(PrescriptionState.Initial, Decide(Draft(), PrescriptionState.Initial, Ctx(now: at)));

    private static PrescriptionState SignedRx(Instant? at = null)
    {
        var rx = Drafted(at);
        return Apply(rx, Decide(new SignPrescription(By(Doctor), "sig-rx"), rx, Ctx(signature: Signatures.Signed(Doctor, rx.SigningHash, "sig-rx"), now: at)));
    }

    private static PrescriptionState ApprovedRx()
    {
        var rx = SignedRx();
        return Apply(rx, Decide(new ApprovePrescription(By(Pharmacist), "sig-review"), rx, ReviewCtx(rx)));
    }

    private static PrescriptionContext Pharmacy(Instant? now = null) => new(now ?? ReviewTime, Regulation(), null, null, null, null);

    [Fact]
    public void Full_lifecycle_draft_sign_review_hand_off_dispense_deliver()
    {
        var drafted = Decide(Draft(), PrescriptionState.Initial, Ctx()).Accepted().One<PrescriptionDrafted>();
        Assert.Empty(drafted.Flags);
        Assert.Equal(Doctor.Id, drafted.PrescriberId);
        Assert.Equal(CanonicalHash(drafted), drafted.SigningHash);

        var signed = SignedRx();
        Assert.Equal(PrescriptionStatus.Signed, signed.Status);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 16, 0), signed.ValidUntil); // end of the day written, China time

        var approved = ApprovedRx();
        Assert.Equal(PrescriptionStatus.Approved, approved.Status);
        Assert.Equal(Pharmacist.Id, approved.ReviewerId);

        var handedOff = Apply(approved, Decide(new HandOffPrescription(By(Service), "pharmacy-9"), approved, Pharmacy()));
        var dispensed = Apply(handedOff, Decide(new DispensePrescription(By(Pharmacist)), handedOff, Pharmacy()));
        var delivered = Apply(dispensed, Decide(new DeliverPrescription(By(Service), "SF123"), dispensed, Pharmacy()));
        Assert.Equal(PrescriptionStatus.Delivered, delivered.Status);
    }

    private static string CanonicalHash(PrescriptionDrafted e) => Records.Domain.Serialization.CanonicalHash.Of(
        new PrescriptionContent(e.PrescriptionId, e.ConsultationId, e.PatientId, e.PrescriberId, e.Diagnoses, e.Lines, e.Emergency, e.LongerSupplyReason));

    [Fact]
    public void A_rejected_prescription_carries_reasons_and_cannot_be_handed_off()
    {
        var rx = SignedRx();
        Decide(new RejectPrescription(By(Pharmacist), []), rx, ReviewCtx(rx)).Rejected("prescription.rejection_without_reason");
        var rejected = Apply(rx, Decide(new RejectPrescription(By(Pharmacist), ["剂量过大"]), rx, ReviewCtx(rx)));
        Assert.Equal(PrescriptionStatus.Rejected, rejected.Status);

        Decide(new HandOffPrescription(By(Service), "pharmacy-9"), rejected, Pharmacy()).Rejected("prescription.not_approved", RuleIds.ReviewBeforeDispensing);
    }

    [Fact]
    public void Illegal_transitions_are_rejected_with_their_code()
    {
        Decide(new SignPrescription(By(Doctor), "sig-rx"), PrescriptionState.Initial, Ctx()).Rejected("prescription.not_found");
        Decide(Draft(), Drafted(), Ctx()).Rejected("prescription.already_exists");
        Decide(new ApprovePrescription(By(Pharmacist), "sig-review"), Drafted(), ReviewCtx(Drafted())).Rejected("prescription.illegal_transition");
        Decide(new SignPrescription(By(Doctor), "sig-rx"), SignedRx(), Ctx()).Rejected("prescription.illegal_transition");
        Decide(new DeliverPrescription(By(Service), "SF1"), ApprovedRx(), Pharmacy()).Rejected("prescription.illegal_transition");
        Decide(new DeliverPrescription(By(PatientActor), "SF1"), ApprovedRx(), Pharmacy()).Rejected("prescription.role_not_allowed");

        var cancelled = Apply(ApprovedRx(), Decide(new CancelPrescription(By(Doctor), "开错"), ApprovedRx(), Pharmacy()));
        Decide(new DispensePrescription(By(Pharmacist)), cancelled, Pharmacy()).Rejected("prescription.illegal_transition");
        Decide(new CancelPrescription(By(Doctor), "again"), cancelled, Pharmacy()).Rejected("prescription.illegal_transition");
        Decide(new CancelPrescription(By(PatientActor), "no"), ApprovedRx(), Pharmacy()).Rejected("prescription.role_not_allowed");
        Decide(new DispensePrescription(By(Doctor)), ApprovedRx(), Pharmacy()).Rejected("prescription.role_not_allowed");
        Decide(new HandOffPrescription(By(PatientActor), "pharmacy-9"), ApprovedRx(), Pharmacy()).Rejected("prescription.role_not_allowed");
    }

    [Fact]
    public void A_prescription_expires_only_after_its_validity()
    {
        var rx = ApprovedRx();
        Decide(new ExpirePrescription(By(Service)), rx, Pharmacy()).Rejected("prescription.still_valid");
        Decide(new ExpirePrescription(By(Doctor)), rx, Pharmacy(rx.ValidUntil)).Rejected("prescription.role_not_allowed");
        var expired = Apply(rx, Decide(new ExpirePrescription(By(Service)), rx, Pharmacy(rx.ValidUntil)));
        Assert.Equal(PrescriptionStatus.Expired, expired.Status);
        Decide(new ExpirePrescription(By(Service)), expired, Pharmacy(rx.ValidUntil)).Rejected("prescription.illegal_transition");
    }

    [Fact]
    public void Incomplete_prescriptions_are_refused()
    {
        Decide(Draft(lines: []), PrescriptionState.Initial, Ctx()).Rejected("prescription.incomplete");
        Decide(Draft(diagnoses: []), PrescriptionState.Initial, Ctx()).Rejected("prescription.incomplete");
        Decide(Draft(lines: [Amlodipine with { Quantity = 0 }]), PrescriptionState.Initial, Ctx()).Rejected("prescription.incomplete");
    }

    [Fact]
    public void Online_advice_cannot_prescribe()
    {
        var advice = FollowUp() with { Kind = ConsultationKind.OnlineAdvice };
        Decide(Draft(), PrescriptionState.Initial, Ctx(visit: advice)).Rejected("prescription.advice_cannot_prescribe");
    }

    // 互联网诊疗管理办法（试行） Art. 19: no narcotic, psychotropic or other specially controlled drug online.
    [Theory]
    [InlineData(DrugClass.Narcotic)]
    [InlineData(DrugClass.PsychotropicClass1)]
    [InlineData(DrugClass.PsychotropicClass2)]
    [InlineData(DrugClass.MedicalToxic)]
    [InlineData(DrugClass.Radioactive)]
    [InlineData(DrugClass.PrecursorChemical)]
    public void Art19_a_controlled_drug_class_is_stopped_online(DrugClass drugClass)
    {
        var controlled = Amlodipine with { Drug = "受控药品", Class = drugClass };
        Decide(Draft(lines: [Amlodipine, controlled]), PrescriptionState.Initial, Ctx())
            .Rejected("prescription.controlled_drug_online", RuleIds.NoControlledDrugsOnline);
    }

    // 处方管理办法: at most 5 drugs per prescription.
    [Fact]
    public void Prescription_measures_five_drugs_pass_six_are_stopped()
    {
        var five = Enumerable.Range(1, 5).Select(i => Amlodipine with { Drug = $"药{i}" }).ToArray();
        Decide(Draft(lines: five), PrescriptionState.Initial, Ctx()).Accepted();
        Decide(Draft(lines: [.. five, Amlodipine with { Drug = "药6" }]), PrescriptionState.Initial, Ctx()).Rejected("prescription.too_many_drugs", RuleIds.MaxDrugs);
    }

    // 处方管理办法 (处方标准), REGULATION.md [U]: a complete prescription passes unflagged; missing fields are flagged, not stopped.
    [Fact]
    public void Prescription_measures_missing_fields_are_flagged()
    {
        Assert.Empty(Decide(Draft(), PrescriptionState.Initial, Ctx()).Accepted().One<PrescriptionDrafted>().Flags);

        var bare = Amlodipine with { Form = "", Dosage = " " };
        var drafted = Decide(Draft(lines: [bare]), PrescriptionState.Initial, Ctx(patient: PatientAged() with { Sex = Sex.Unknown }))
            .Accepted().One<PrescriptionDrafted>();
        var flag = Assert.Single(drafted.Flags);
        Assert.Equal((RuleIds.FieldsComplete, "prescription.fields_missing"), (flag.RuleId, flag.Code));
        Assert.Contains("the patient's sex", flag.Message);
        Assert.Contains("氨氯地平片's form and dosage", flag.Message);
    }

    // 处方管理办法 Art. 19: 7 days' supply; over it only with a written reason, and then flagged.
    [Fact]
    public void Art19_days_supply_over_seven_stops_without_reason_and_is_flagged_with_one()
    {
        var eightDays = Amlodipine with { DaysSupply = 8, Quantity = 8 };
        Decide(Draft(lines: [eightDays]), PrescriptionState.Initial, Ctx()).Rejected("prescription.days_supply_without_reason", RuleIds.DaysSupply);

        var flagged = Decide(Draft(lines: [eightDays], reason: "慢性病长期用药"), PrescriptionState.Initial, Ctx()).Accepted().One<PrescriptionDrafted>();
        var flag = Assert.Single(flagged.Flags);
        Assert.Equal((RuleIds.DaysSupply, "prescription.days_supply_over_limit"), (flag.RuleId, flag.Code));
        Assert.Contains("Art. 19", flag.Source);
    }

    // 长期处方管理规范（试行）(2021): 12 weeks at most, even with a reason.
    [Fact]
    public void Long_term_norm_twelve_weeks_with_a_reason_pass_more_is_stopped()
    {
        Decide(Draft(lines: [Amlodipine with { DaysSupply = 84 }], reason: "慢性病长期处方"), PrescriptionState.Initial, Ctx()).Accepted();
        Decide(Draft(lines: [Amlodipine with { DaysSupply = 85 }], reason: "慢性病长期处方"), PrescriptionState.Initial, Ctx())
            .Rejected("prescription.over_long_term_limit", RuleIds.LongTermMaxDays);
    }

    // 处方管理办法 Art. 19: at most 3 days in an emergency.
    [Fact]
    public void Art19_emergency_prescriptions_are_limited_to_three_days()
    {
        Assert.Empty(Decide(Draft(lines: [Amlodipine with { DaysSupply = 3 }], emergency: true), PrescriptionState.Initial, Ctx()).Accepted().One<PrescriptionDrafted>().Flags);
        Decide(Draft(lines: [Amlodipine with { DaysSupply = 4 }], emergency: true), PrescriptionState.Initial, Ctx())
            .Rejected("prescription.days_supply_without_reason", RuleIds.DaysSupply);
    }

    // 互联网诊疗监管细则（试行）: AI may not generate prescriptions.
    [Theory]
    [InlineData(Role.Ai)]
    [InlineData(Role.Service)]
    public void Supervision_rules_a_machine_cannot_author_a_prescription(Role role)
    {
        var machine = new Actor(Doctor.Id, role, true);
        Decide(Draft(by: machine), PrescriptionState.Initial, Ctx()).Rejected("prescription.machine_author", RuleIds.NoMachineClinician);
    }

    // 医疗机构处方审核规范: written by the doctor who takes the visit.
    [Fact]
    public void Review_norms_only_the_visit_doctor_prescribes()
    {
        Decide(Draft(by: OtherDoctor), PrescriptionState.Initial, Ctx(practitioner: PractitionerFor(OtherDoctor, verifiedFor: ["c-1"])))
            .Rejected("prescription.not_visit_doctor", RuleIds.PrescribedByVisitDoctor);
    }

    // 宁夏互联网医院监管标准 应急处置: after a condition change or termination, no more prescribing.
    [Fact]
    public void Emergency_handling_no_prescription_after_a_condition_change_or_termination()
    {
        var flaggedVisit = FollowUp(more: [new ConditionChangeFlagged("胸痛", false, Doctor.Id, T0)]);
        Decide(Draft(), PrescriptionState.Initial, Ctx(visit: flaggedVisit)).Rejected("visit.stopped", RuleIds.StopOnConditionChange);

        var terminated = FollowUp(more: [new ConsultationTerminated("病情变化", "急诊", Doctor.Id, T0)]);
        Decide(Draft(), PrescriptionState.Initial, Ctx(visit: terminated)).Rejected("visit.stopped", RuleIds.StopOnConditionChange);

        var rx = Drafted();
        Decide(new SignPrescription(By(Doctor), "sig-rx"), rx, Ctx(visit: flaggedVisit, signature: Signatures.Signed(Doctor, rx.SigningHash, "sig-rx")))
            .Rejected("visit.stopped", RuleIds.StopOnConditionChange);

        var completed = FollowUp(more: [new ConsultationCompleted("done", Doctor.Id, T0, [])]);
        Decide(Draft(), PrescriptionState.Initial, Ctx(visit: completed)).Rejected("consultation.illegal_transition");
    }

    // 互联网诊疗管理办法（试行） Art. 16: a follow-up needs offline evidence, for the same diagnosis.
    [Fact]
    public void Art16_follow_up_prescribing_needs_offline_evidence_of_the_same_diagnosis()
    {
        Decide(Draft(), PrescriptionState.Initial, Ctx(visit: FollowUp(evidence: false)))
            .Rejected("visit.no_offline_evidence", RuleIds.FollowUpNeedsOfflineEvidence);
        Decide(Draft(diagnoses: [Diabetes]), PrescriptionState.Initial, Ctx())
            .Rejected("visit.diagnosis_not_evidenced", RuleIds.FollowUpSameDiagnosis);
        Decide(Draft(diagnoses: [new Diagnosis("I10.x01", "高血压1级")]), PrescriptionState.Initial, Ctx()).Accepted();
    }

    // 互联网诊疗管理办法（试行） Art. 19: a child under 6 needs a guardian and a specialist present.
    [Fact]
    public void Art19_child_under_six_needs_guardian_and_specialist()
    {
        var child = PatientAged(ageYears: 4, guardian: Mother);
        Decide(Draft(), PrescriptionState.Initial, Ctx(patient: child))
            .Rejected("visit.child_without_guardian_and_specialist", RuleIds.ChildGuardianAndSpecialist);

        var attended = FollowUp(more: [new ChildSafeguardsAttested(Mother.GuardianId, "dr-peds", Doctor.Id, T0)]);
        Decide(Draft(), PrescriptionState.Initial, Ctx(visit: attended, patient: child)).Accepted();
        Decide(Draft(), PrescriptionState.Initial, Ctx(patient: PatientAged(ageYears: 6))).Accepted();
    }

    // 互联网诊疗监管细则（试行）; 互联网医院管理办法（试行）; 互联网诊疗管理办法（试行） Art. 25.
    [Fact]
    public void The_prescriber_must_be_verified_registered_in_scope_active_and_experienced()
    {
        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: PractitionerFor(Doctor)))
            .Rejected("practitioner.not_real_name_verified", RuleIds.PractitionerRealNameVerified);
        Decide(Draft(by: Doctor with { RealNameVerified = false }), PrescriptionState.Initial, Ctx())
            .Rejected("practitioner.not_real_name_verified", RuleIds.PractitionerRealNameVerified);

        var suspended = PractitionerDecider.Evolve(PractitionerFor(Doctor, verifiedFor: ["c-1"]), new PractitionerSuspended("违规", T0));
        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: suspended)).Rejected("practitioner.suspended", RuleIds.PractitionerNotSuspended);

        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: PractitionerFor(Doctor, scope: ["儿科"], verifiedFor: ["c-1"])))
            .Rejected("practitioner.outside_scope", RuleIds.PractitionerWithinScope);

        var left = PractitionerDecider.Evolve(PractitionerFor(Doctor, verifiedFor: ["c-1"]), new EnrolmentEnded(Hospital, "离职", T0));
        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: left)).Rejected("practitioner.not_registered_here", RuleIds.PractitionerRegisteredHere);
        Decide(Draft(), PrescriptionState.Initial, Ctx() with { Practitioner = null }).Rejected("practitioner.not_registered_here", RuleIds.PractitionerRegisteredHere);

        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: PractitionerFor(Doctor, years: 2, verifiedFor: ["c-1"])))
            .Rejected("practitioner.too_little_practice", RuleIds.PractitionerMinPracticeYears);
    }

    // 宁夏互联网医院监管标准: an intermediate title or higher, in Ningxia only.
    [Fact]
    public void Ningxia_asks_an_intermediate_title()
    {
        var junior = PractitionerFor(Doctor, grade: TitleGrade.Junior, verifiedFor: ["c-1"]);
        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: junior)).Accepted();
        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: junior, place: Ningxia)).Rejected("practitioner.title_too_low", RuleIds.PractitionerMinTitle);
        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: PractitionerFor(Doctor, grade: TitleGrade.Senior, verifiedFor: ["c-1"]), place: Ningxia)).Accepted();
    }

    // 宁夏互联网医院监管标准: 5 years in Ningxia, where 4 years suffice elsewhere.
    [Fact]
    public void Ningxia_asks_five_years_of_practice()
    {
        var fourYears = PractitionerFor(Doctor, years: 4, verifiedFor: ["c-1"]);
        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: fourYears)).Accepted();
        Decide(Draft(), PrescriptionState.Initial, Ctx(practitioner: fourYears, place: Ningxia))
            .Rejected("practitioner.too_little_practice", RuleIds.PractitionerMinPracticeYears);
    }

    // 中华人民共和国电子签名法 Art. 13: the prescriber's own signature over exactly this content.
    [Fact]
    public void E_signature_law_the_prescriber_signature_must_be_theirs_and_cover_this_content()
    {
        var rx = Drafted();
        var sign = new SignPrescription(By(Doctor), "sig-rx");
        Decide(sign, rx, Ctx()).Rejected("signature.not_recorded", RuleIds.ReliableSignature);
        Decide(sign, rx, Ctx(signature: Signatures.Signed(OtherDoctor, rx.SigningHash, "sig-rx"))).Rejected("signature.wrong_signer", RuleIds.ReliableSignature);
        Decide(sign, rx, Ctx(signature: Signatures.Signed(Doctor, Hash("other"), "sig-rx"))).Rejected("signature.wrong_content", RuleIds.ReliableSignature);
        Decide(sign with { Meta = By(Ai) }, rx, Ctx(signature: Signatures.Signed(Doctor, rx.SigningHash, "sig-rx")))
            .Rejected("prescription.machine_author", RuleIds.NoMachineClinician);
    }

    // 医疗机构处方审核规范: the reviewer is not the prescriber.
    [Fact]
    public void Review_norms_the_prescriber_cannot_review_their_own_prescription()
    {
        var rx = SignedRx();
        Decide(new ApprovePrescription(By(Doctor), "sig-review"), rx, ReviewCtx(rx, Doctor, PractitionerFor(Doctor, verifiedFor: ["c-1"])))
            .Rejected("prescription.reviewer_is_prescriber", RuleIds.ReviewerNotPrescriber);
    }

    // 医疗机构处方审核规范: reviewers are pharmacists with 3+ years.
    [Fact]
    public void Review_norms_the_reviewer_is_a_pharmacist_with_three_years()
    {
        var rx = SignedRx();
        Decide(new ApprovePrescription(By(OtherDoctor), "sig-review"), rx, ReviewCtx(rx, OtherDoctor, PractitionerFor(OtherDoctor)))
            .Rejected("prescription.reviewer_not_pharmacist", RuleIds.ReviewerExperiencedPharmacist);
        Decide(new ApprovePrescription(By(Pharmacist), "sig-review"), rx, ReviewCtx(rx, practitioner: PractitionerFor(Pharmacist, Profession.Pharmacist, years: 2)))
            .Rejected("prescription.reviewer_too_inexperienced", RuleIds.ReviewerExperiencedPharmacist);
        Decide(new RejectPrescription(By(Pharmacist), ["x"]), rx, ReviewCtx(rx, practitioner: PractitionerFor(Pharmacist, Profession.Pharmacist, years: 2)))
            .Rejected("prescription.reviewer_too_inexperienced", RuleIds.ReviewerExperiencedPharmacist);
        Decide(new ApprovePrescription(By(Pharmacist), "sig-review"), rx, ReviewCtx(rx, practitioner: PractitionerFor(Pharmacist, Profession.Pharmacist, years: 3)))
            .Accepted();
    }

    // REGULATION.md indicator 12: a review faster than the threshold is flagged, not stopped.
    [Fact]
    public void A_review_faster_than_the_threshold_is_flagged()
    {
        var rx = SignedRx();
        var fast = Decide(new ApprovePrescription(By(Pharmacist), "sig-review"), rx, ReviewCtx(rx, now: T0.Plus(Duration.FromSeconds(10))))
            .Accepted().One<PrescriptionApproved>();
        Assert.Equal(RuleIds.ReviewTooFast, Assert.Single(fast.Flags).RuleId);

        Assert.Empty(Decide(new ApprovePrescription(By(Pharmacist), "sig-review"), rx, ReviewCtx(rx)).Accepted().One<PrescriptionApproved>().Flags);
    }

    // 互联网诊疗监管细则（试行）; REGULATION.md indicator 5: no drug selected or paid for before the prescription is signed (先方后药),
    // and, like supply, not before the pharmacist approved it.
    [Fact]
    public void Supervision_rules_no_drug_selection_or_payment_before_the_prescription_is_signed_and_approved()
    {
        Decide(new SelectDrugs(By(Pharmacist), "pharmacy-9"), Drafted(), Pharmacy()).Rejected("prescription.not_signed", RuleIds.NoDrugBeforePrescription);
        Decide(new TakePayment(By(Service), 36.5m, "PAY-1"), Drafted(), Pharmacy()).Rejected("prescription.not_signed", RuleIds.NoDrugBeforePrescription);
        Decide(new SelectDrugs(By(Pharmacist), "pharmacy-9"), SignedRx(), Pharmacy()).Rejected("prescription.not_approved", RuleIds.ReviewBeforeDispensing);
        Decide(new TakePayment(By(Service), 36.5m, "PAY-1"), SignedRx(), Pharmacy()).Rejected("prescription.not_approved", RuleIds.ReviewBeforeDispensing);

        var approved = ApprovedRx();
        var selected = Decide(new SelectDrugs(By(Pharmacist), "pharmacy-9"), approved, Pharmacy()).Accepted().One<DrugsSelected>();
        var paid = Decide(new TakePayment(By(Service), 36.5m, "PAY-1"), approved, Pharmacy()).Accepted().One<PaymentTaken>();
        var state = Evolve(Evolve(approved, selected), paid);
        Assert.Equal((ReviewTime, ReviewTime, PrescriptionStatus.Approved), (state.DrugsSelectedAt, state.PaidAt, state.Status));
        Decide(new DispensePrescription(By(Pharmacist)), state, Pharmacy()).Accepted();
    }

    [Fact]
    public void Drug_selection_is_the_pharmacys_and_a_payment_names_its_amount_and_reference()
    {
        Decide(new SelectDrugs(By(Doctor), "pharmacy-9"), ApprovedRx(), Pharmacy()).Rejected("prescription.role_not_allowed");
        Decide(new TakePayment(By(PatientActor), 36.5m, "PAY-1"), ApprovedRx(), Pharmacy()).Rejected("prescription.role_not_allowed");
        Decide(new TakePayment(By(Service), -1m, "PAY-1"), ApprovedRx(), Pharmacy()).Rejected("prescription.invalid_payment");
        Decide(new TakePayment(By(Service), 36.5m, " "), ApprovedRx(), Pharmacy()).Rejected("prescription.invalid_payment");
    }

    // 医疗机构处方审核规范: no hand-off or dispensing before approval.
    [Fact]
    public void Review_norms_no_dispensing_or_hand_off_before_approval()
    {
        var rx = SignedRx();
        Decide(new DispensePrescription(By(Pharmacist)), rx, Pharmacy()).Rejected("prescription.not_approved", RuleIds.ReviewBeforeDispensing);
        Decide(new HandOffPrescription(By(Service), "pharmacy-9"), rx, Pharmacy()).Rejected("prescription.not_approved", RuleIds.ReviewBeforeDispensing);
        Decide(new DeliverPrescription(By(Service), "SF1"), Drafted(), Pharmacy()).Rejected("prescription.not_approved", RuleIds.ReviewBeforeDispensing);
        Decide(new DispensePrescription(By(Pharmacist)), ApprovedRx(), Pharmacy()).Accepted();
    }

    // 处方管理办法 Art. 18: valid on the day written; extension to at most 3 days, flagged.
    [Fact]
    public void Art18_validity_extension_is_flagged_up_to_three_days_and_stopped_beyond()
    {
        var rx = ApprovedRx();
        var nextDay = rx.ValidUntil!.Value.Plus(Duration.FromHours(1));
        Decide(new DispensePrescription(By(Pharmacist)), rx, Pharmacy(nextDay)).Rejected("prescription.expired", RuleIds.Validity);

        Decide(new ExtendValidity(By(Doctor), 4, "出差"), rx, Pharmacy()).Rejected("prescription.extension_too_long", RuleIds.Validity);
        Decide(new ExtendValidity(By(OtherDoctor), 3, "出差"), rx, Pharmacy()).Rejected("prescription.not_visit_doctor");
        Decide(new ExtendValidity(By(Doctor), 1, "出差"), rx, Pharmacy()).Rejected("prescription.invalid_extension");

        var extended = Decide(new ExtendValidity(By(Doctor), 3, "出差"), rx, Pharmacy()).Accepted().One<PrescriptionValidityExtended>();
        Assert.Equal(RuleIds.Validity, Assert.Single(extended.Flags).RuleId);
        Assert.Equal(Instant.FromUtc(2026, 3, 4, 16, 0), extended.ValidUntil);
        Decide(new DispensePrescription(By(Pharmacist)), Evolve(rx, extended), Pharmacy(nextDay)).Accepted();

        Decide(new ExtendValidity(By(Doctor), 3, "太晚"), rx, Pharmacy(nextDay)).Rejected("prescription.expired", RuleIds.Validity);
    }
}
