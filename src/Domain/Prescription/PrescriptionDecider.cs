namespace Records.Domain.Prescription;

using Records.Domain.Consultation;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Signature;

/// <summary>
/// What a prescription decision needs from other streams: the acting practitioner (null when the actor is not one),
/// the consultation it belongs to and its patient (for drafting and signing), and the signature the command names.
/// </summary>
public sealed record PrescriptionContext(
    Instant Now, Regulation Regulation, PractitionerState? Practitioner, ConsultationState? Consultation, PatientState? Patient,
    SignatureState? Signature);

/// <summary>
/// An e-prescription from draft to delivery: written and signed by the visit's doctor, reviewed and signed by a
/// pharmacist who is not the prescriber, only then handed off, dispensed and delivered.
/// </summary>
public static class PrescriptionDecider
{
    private const string Stream = "prescription";

    public static Decision<IPrescriptionEvent> Decide(IPrescriptionCommand command, PrescriptionState state, PrescriptionContext context)
    {
        // Who may act comes before whether the record exists and what state it is in, so a refused caller learns neither.
        if (RoleRefusal(command) is { } refusal)
        {
            return refusal;
        }

        if (command is DraftPrescription draft)
        {
            return Draft(draft, state, context);
        }

        if (state.Status == PrescriptionStatus.None)
        {
            return Rejections.NotFound(Stream);
        }

        var actor = command.Meta.Actor;
        var now = context.Now;
        var findings = new Findings(context.Regulation, now);
        switch (command)
        {
            case SignPrescription c:
                var visit = context.Consultation is { } named && named.Id == state.ConsultationId ? named : null;
                if (ActAsPrescriber(findings, actor, state.PrescriberId, visit, context) is { } notPrescriber)
                {
                    return notPrescriber;
                }

                if (state.Status != PrescriptionStatus.Drafted)
                {
                    return Rejections.WrongState(Stream, "sign", state.Status);
                }

                if (visit is null)
                {
                    return Rejections.NotFound("consultation");
                }

                // 宁夏互联网医院监管标准 应急处置: a visit stopped since the draft is not prescribed for.
                if (visit.IsStopped)
                {
                    findings.Breach(RuleIds.StopOnConditionChange, "visit.stopped", "This visit was stopped after the draft: refer the patient offline instead.");
                }

                SignatureCheck.Covers(findings, context.Signature, c.SignatureId, state.SigningHash, state.PrescriberId);
                return findings.Decide<IPrescriptionEvent>(flags => new PrescriptionSigned(c.SignatureId, now, ValidUntil(findings, state, days: null), flags));

            case ApprovePrescription c:
                if (ActAsReviewer(findings, actor, state, context) is { } cannotApprove)
                {
                    return cannotApprove;
                }

                if (state.Status != PrescriptionStatus.Signed)
                {
                    return Rejections.WrongState(Stream, "approve", state.Status);
                }

                ReviewedInTime(findings, state, now);
                SignatureCheck.Covers(findings, context.Signature, c.SignatureId, state.SigningHash, actor.Id);
                return findings.Decide<IPrescriptionEvent>(flags => new PrescriptionApproved(actor.Id, c.SignatureId, now, flags));

            case RejectPrescription c:
                if (ActAsReviewer(findings, actor, state, context) is { } cannotReject)
                {
                    return cannotReject;
                }

                if (state.Status != PrescriptionStatus.Signed)
                {
                    return Rejections.WrongState(Stream, "reject", state.Status);
                }

                if (c.Reasons.Count == 0 || c.Reasons.Any(string.IsNullOrWhiteSpace))
                {
                    return Rejections.Invalid("prescription.rejection_without_reason", "Give the prescriber the reasons for rejecting the prescription.");
                }

                ReviewedInTime(findings, state, now);
                return findings.Decide<IPrescriptionEvent>(flags => new PrescriptionRejected(actor.Id, c.Reasons, now, flags));

            case ExtendValidity c:
                return Extend(c, state, context, findings);

            case HandOffPrescription c:
                return AfterApproval(findings, state, now, "hand off", PrescriptionStatus.Approved)
                    ?? findings.Decide<IPrescriptionEvent>(flags => new PrescriptionHandedOff(c.PharmacyId, now, flags));

            case SelectDrugs c:
                return AfterPrescription(findings, state, now, "select drugs for")
                    ?? findings.Decide<IPrescriptionEvent>(flags => new DrugsSelected(c.PharmacyId, actor.Id, now, flags));

            case TakePayment c:
                if (c.Amount < 0 || string.IsNullOrWhiteSpace(c.PaymentRef))
                {
                    return Rejections.Invalid("prescription.invalid_payment", "A payment has a non-negative amount and the payment provider's reference.");
                }

                return AfterPrescription(findings, state, now, "take payment for")
                    ?? findings.Decide<IPrescriptionEvent>(flags => new PaymentTaken(c.Amount, c.PaymentRef, actor.Id, now, flags));

            case DispensePrescription:
                return AfterApproval(findings, state, now, "dispense", PrescriptionStatus.Approved, PrescriptionStatus.HandedOff)
                    ?? findings.Decide<IPrescriptionEvent>(flags => new PrescriptionDispensed(actor.Id, now, flags));

            case DeliverPrescription c:
                return AfterApproval(findings, state, now, "deliver", PrescriptionStatus.Dispensed)
                    ?? findings.Decide<IPrescriptionEvent>(flags => new PrescriptionDelivered(c.TrackingRef, now, flags));

            case CancelPrescription c:
                if (actor.Id != state.PrescriberId && actor.Role is not (Role.Pharmacist or Role.Administrator))
                {
                    return Rejections.NotAllowed(Stream, "cancel this prescription", actor.Role);
                }

                return state.Status is PrescriptionStatus.Drafted or PrescriptionStatus.Signed or PrescriptionStatus.Approved or PrescriptionStatus.HandedOff
                    ? new PrescriptionCancelled(actor.Id, c.Reason, now)
                    : Rejections.WrongState(Stream, "cancel", state.Status);

            case ExpirePrescription:
                if (!state.IsLive)
                {
                    return Rejections.WrongState(Stream, "expire", state.Status);
                }

                return state.ValidUntil is { } until && now >= until
                    ? new PrescriptionExpired(now)
                    : Rejections.Invalid("prescription.still_valid", "The prescription is still valid.");

            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
        }
    }

    public static PrescriptionState Evolve(PrescriptionState state, IPrescriptionEvent @event) => @event switch
    {
        PrescriptionDrafted e => new PrescriptionState(
            PrescriptionStatus.Drafted, e.PrescriptionId, e.ConsultationId, e.PatientId, e.PrescriberId, e.SigningHash, ChinaTime.DateOf(e.DraftedAt),
            null, null, null, null, null, Retention.RetainedRecords.StrictestOf(e.Lines)),
        PrescriptionSigned e => state with { Status = PrescriptionStatus.Signed, SignedAt = e.SignedAt, ValidUntil = e.ValidUntil },
        PrescriptionApproved e => state with { Status = PrescriptionStatus.Approved, ReviewerId = e.ReviewerId },
        PrescriptionRejected e => state with { Status = PrescriptionStatus.Rejected, ReviewerId = e.ReviewerId },
        PrescriptionValidityExtended e => state with { ValidUntil = e.ValidUntil },
        DrugsSelected e => state with { DrugsSelectedAt = e.SelectedAt },
        PaymentTaken e => state with { PaidAt = e.TakenAt },
        PrescriptionHandedOff => state with { Status = PrescriptionStatus.HandedOff },
        PrescriptionDispensed => state with { Status = PrescriptionStatus.Dispensed },
        PrescriptionDelivered => state with { Status = PrescriptionStatus.Delivered },
        PrescriptionCancelled => state with { Status = PrescriptionStatus.Cancelled },
        PrescriptionExpired => state with { Status = PrescriptionStatus.Expired },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };

    /// <summary>Who may give the commands that are a role's whoever's prescription it is: the pharmacy's, the payment provider's, the scheduler's.</summary>
    private static Rejection? RoleRefusal(IPrescriptionCommand command)
    {
        var role = command.Meta.Actor.Role;
        return command switch
        {
            HandOffPrescription when role is not (Role.Pharmacist or Role.Service or Role.Integrator or Role.Administrator) =>
                Rejections.NotAllowed(Stream, "hand off", role),
            SelectDrugs when role is not (Role.Pharmacist or Role.Integrator) => Rejections.NotAllowed(Stream, "select drugs for", role),
            TakePayment when role is not (Role.Service or Role.Integrator or Role.Pharmacist or Role.Administrator) =>
                Rejections.NotAllowed(Stream, "take payment for", role),
            DispensePrescription when role is not (Role.Pharmacist or Role.Integrator) => Rejections.NotAllowed(Stream, "dispense", role),
            DeliverPrescription when role is not (Role.Pharmacist or Role.Service or Role.Integrator or Role.Administrator) =>
                Rejections.NotAllowed(Stream, "confirm delivery of", role),
            ExpirePrescription when role is not (Role.Service or Role.Administrator) => Rejections.NotAllowed(Stream, "expire", role),
            _ => null,
        };
    }

    private static Decision<IPrescriptionEvent> Draft(DraftPrescription c, PrescriptionState state, PrescriptionContext context)
    {
        var actor = c.Meta.Actor;
        var now = context.Now;
        var findings = new Findings(context.Regulation, now);
        var named = context.Consultation is { } known && known.Id == c.ConsultationId && known.Status != ConsultationStatus.None ? known : null;
        if (ActAsPrescriber(findings, actor, actor.Id, named, context) is { } notPrescriber)
        {
            return notPrescriber;
        }

        if (state.Status != PrescriptionStatus.None)
        {
            return Rejections.AlreadyExists(Stream);
        }

        if (named is not { } visit)
        {
            return Rejections.NotFound("consultation");
        }

        if (context.Patient is not { Registered: true } patient || patient.Id != visit.PatientId)
        {
            return Rejections.NotFound("patient");
        }

        if (visit.Kind == ConsultationKind.OnlineAdvice)
        {
            return Rejections.Invalid("prescription.advice_cannot_prescribe", "Online advice (在线咨询) cannot prescribe; open a follow-up visit.");
        }

        if (c.Diagnoses.Count == 0 || c.Lines.Count == 0
            || c.Lines.Any(l => string.IsNullOrWhiteSpace(l.Drug) || l.Quantity <= 0 || l.DaysSupply <= 0))
        {
            return Rejections.Invalid("prescription.incomplete",
                "A prescription needs a clinical diagnosis and at least one drug, each with a positive quantity and days' supply.");
        }

        var content = new PrescriptionContent(
            c.PrescriptionId, c.ConsultationId, visit.PatientId, actor.Id, c.Diagnoses, c.Lines, c.Emergency, c.LongerSupplyReason);

        // 宁夏互联网医院监管标准 应急处置; 互联网诊疗管理办法（试行） Art. 16 and 19: what may be treated online at all.
        VisitRules.CheckTreatment(findings, visit, patient, c.Diagnoses, now);
        if (findings.Rejection is null && visit.Status != ConsultationStatus.InProgress)
        {
            return Rejections.WrongState("consultation", "prescribe in", visit.Status);
        }

        // 处方管理办法 (处方标准), REGULATION.md [U]: the fields a prescription carries; unconfirmed, so flagged by default.
        if (findings.Rule(RuleIds.FieldsComplete) is { } fields && MissingFields(patient, visit, c.Lines) is { Count: > 0 } missing)
        {
            findings.Breach(fields, "prescription.fields_missing", $"The prescription lacks: {string.Join(", ", missing)}.");
        }

        // 处方管理办法: at most 5 drugs per prescription.
        if (findings.Rule(RuleIds.MaxDrugs) is { } maxDrugs && c.Lines.Count > maxDrugs.Parameter<MaximumDrugs>().Drugs)
        {
            findings.Breach(maxDrugs, "prescription.too_many_drugs", $"At most {maxDrugs.Parameter<MaximumDrugs>().Drugs} drugs per prescription; write a second prescription.");
        }

        // 互联网诊疗管理办法（试行） Art. 19: no narcotic, psychotropic or other specially controlled drug online.
        if (findings.Rule(RuleIds.NoControlledDrugsOnline) is { } banned
            && c.Lines.FirstOrDefault(l => banned.Parameter<BannedDrugClasses>().Classes.Contains(l.Class)) is { } controlled)
        {
            findings.Breach(banned, "prescription.controlled_drug_online", $"{controlled.Drug} is a specially controlled drug and cannot be prescribed online.");
        }

        // 长期处方管理规范（试行）(2021): at most 12 weeks even for a long-term prescription.
        if (findings.Rule(RuleIds.LongTermMaxDays) is { } longTerm
            && c.Lines.FirstOrDefault(l => l.DaysSupply > longTerm.Parameter<MaximumDays>().Days) is { } tooLong)
        {
            findings.Breach(longTerm, "prescription.over_long_term_limit",
                $"{tooLong.Drug} is for {tooLong.DaysSupply} days; even a long-term prescription covers at most {longTerm.Parameter<MaximumDays>().Days} days.");
        }

        // 处方管理办法 Art. 19: 7 days' supply (3 in an emergency); longer only with the reason written.
        if (findings.Rule(RuleIds.DaysSupply) is { } supply)
        {
            var limit = c.Emergency ? supply.Parameter<DaysSupplyLimit>().EmergencyMaxDays : supply.Parameter<DaysSupplyLimit>().MaxDays;
            if (c.Lines.FirstOrDefault(l => l.DaysSupply > limit) is { } longer)
            {
                if (string.IsNullOrWhiteSpace(c.LongerSupplyReason))
                {
                    findings.Stop(RuleIds.DaysSupply, "prescription.days_supply_without_reason",
                        $"{longer.Drug} is for {longer.DaysSupply} days, over the {limit}-day limit: write the reason (chronic, elderly, special case).");
                }
                else
                {
                    findings.Breach(supply, "prescription.days_supply_over_limit", $"{longer.Drug} is for {longer.DaysSupply} days, over the {limit}-day limit, with a written reason.");
                }
            }
        }

        return findings.Decide<IPrescriptionEvent>(flags => new PrescriptionDrafted(
            c.PrescriptionId, c.ConsultationId, visit.PatientId, actor.Id, c.Diagnoses, c.Lines, c.Emergency, c.LongerSupplyReason,
            CanonicalHash.Of(content), now, flags));
    }

    private static List<string> MissingFields(PatientState patient, ConsultationState visit, IReadOnlyList<PrescriptionLine> lines)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(patient.Name)) missing.Add("the patient's name");
        if (patient.Sex == Sex.Unknown) missing.Add("the patient's sex");
        if (patient.DateOfBirth == default) missing.Add("the patient's date of birth");
        if (string.IsNullOrWhiteSpace(visit.Subject)) missing.Add("the department");
        foreach (var line in lines)
        {
            var lacking = new[] { ("form", line.Form), ("strength", line.Strength), ("unit", line.Unit), ("dosage", line.Dosage) }
                .Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToList();
            if (lacking.Count > 0) missing.Add($"{line.Drug}'s {string.Join(" and ", lacking)}");
        }

        return missing;
    }

    /// <summary>
    /// Whether <paramref name="actor"/> may write or sign as the doctor of <paramref name="visit"/> (null: a visit not known here, whose doctor
    /// nobody is). The breaches go into <paramref name="findings"/>; the one that stops is returned.
    /// </summary>
    private static Rejection? ActAsPrescriber(Findings findings, Actor actor, string prescriberId, ConsultationState? visit, PrescriptionContext context)
    {
        // 互联网诊疗监管细则（试行）: AI may not generate prescriptions.
        if (actor.IsMachine)
        {
            findings.Breach(RuleIds.NoMachineClinician, "prescription.machine_author", "An AI or a machine account cannot write or sign a prescription; the doctor must.");
            return findings.Rejection;
        }

        // 医疗机构处方审核规范: written and signed by the doctor who takes the visit.
        if (visit is null || actor.Id != visit.DoctorId || actor.Id != prescriberId)
        {
            findings.Breach(RuleIds.PrescribedByVisitDoctor, "prescription.not_visit_doctor", "Only the doctor who took this visit can write and sign its prescription.");
        }

        if (visit is not null)
        {
            Qualification.Check(findings, actor, context.Practitioner, Profession.Physician, visit.InstitutionId, context.Now, visit.Subject, visit.Id);
        }

        return findings.Rejection;
    }

    /// <summary>Whether <paramref name="actor"/> may review this prescription: the breaches go into <paramref name="findings"/>; the one that stops is returned.</summary>
    private static Rejection? ActAsReviewer(Findings findings, Actor actor, PrescriptionState state, PrescriptionContext context)
    {
        // 医疗机构处方审核规范: the reviewer is not the prescriber.
        if (actor.Id == state.PrescriberId)
        {
            findings.Breach(RuleIds.ReviewerNotPrescriber, "prescription.reviewer_is_prescriber", "You wrote this prescription; another pharmacist must review it.");
        }

        // 医疗机构处方审核规范: the reviewer is a pharmacist with 3+ years of dispensing experience.
        if (findings.Rule(RuleIds.ReviewerExperiencedPharmacist) is { } reviewer)
        {
            var minYears = reviewer.Parameter<MinimumYears>().Years;
            if (context.Practitioner is not { Registered: true, Profession: Profession.Pharmacist } pharmacist || pharmacist.Id != actor.Id)
            {
                findings.Breach(reviewer, "prescription.reviewer_not_pharmacist", "Prescriptions are reviewed by a pharmacist.");
            }
            else if (pharmacist.PracticeYearsAt(context.Now) < minYears)
            {
                findings.Breach(reviewer, "prescription.reviewer_too_inexperienced", $"Reviewers need {minYears}+ years of dispensing experience.");
            }
        }

        Qualification.Check(findings, actor, context.Practitioner, Profession.Pharmacist, context.Regulation.Place.InstitutionId, context.Now);
        return findings.Rejection;
    }

    /// <summary>REGULATION.md indicator 12: a review faster than the threshold may have been a formality (a flag only).</summary>
    private static void ReviewedInTime(Findings findings, PrescriptionState state, Instant now)
    {
        if (findings.Rule(RuleIds.ReviewTooFast) is { } fast && state.SignedAt is { } signedAt && now - signedAt < fast.Parameter<MinimumDuration>().Duration)
        {
            findings.Breach(fast, "prescription.review_too_fast", $"Reviewed {(now - signedAt).TotalSeconds:0} s after signing.");
        }
    }

    private static Decision<IPrescriptionEvent> Extend(ExtendValidity c, PrescriptionState state, PrescriptionContext context, Findings findings)
    {
        if (c.Meta.Actor.Id != state.PrescriberId)
        {
            return Rejections.Invalid("prescription.not_visit_doctor", "Only the prescriber can extend the validity.");
        }

        if (!state.IsLive)
        {
            return Rejections.WrongState(Stream, "extend", state.Status);
        }

        // 处方管理办法 Art. 18: valid on the day written; the doctor may extend to at most 3 days, noting why.
        if (findings.Rule(RuleIds.Validity) is not { } validity)
        {
            return Rejections.Invalid("prescription.no_validity_limit", "No validity limit is in force, so there is nothing to extend.");
        }

        var limits = validity.Parameter<ValidityLimit>();
        if (c.TotalDays <= limits.ValidDays || string.IsNullOrWhiteSpace(c.Reason))
        {
            return Rejections.Invalid("prescription.invalid_extension", $"An extension is longer than {limits.ValidDays} day(s) and gives its reason.");
        }

        if (c.TotalDays > limits.MaxExtendedDays)
        {
            findings.Stop(RuleIds.Validity, "prescription.extension_too_long", $"Validity can be extended to at most {limits.MaxExtendedDays} days.");
        }
        else if (state.ValidUntil is { } until && context.Now >= until)
        {
            findings.Stop(RuleIds.Validity, "prescription.expired", "The prescription has already expired; write a new one.");
        }
        else
        {
            findings.Breach(validity, "prescription.validity_extended", $"Validity extended to {c.TotalDays} days: {c.Reason}");
        }

        return findings.Decide<IPrescriptionEvent>(
            flags => new PrescriptionValidityExtended(c.TotalDays, c.Reason, ValidUntil(findings, state, c.TotalDays)!.Value, flags));
    }

    /// <summary>End of validity after <paramref name="days"/> calendar days from the day written (the rule's default when null).</summary>
    private static Instant? ValidUntil(Findings findings, PrescriptionState state, int? days) =>
        findings.Rule(RuleIds.Validity) is { } validity
            ? ChinaTime.StartOf(state.WrittenOn.PlusDays(days ?? validity.Parameter<ValidityLimit>().ValidDays))
            : null;

    /// <summary>
    /// 互联网诊疗监管细则（试行）; REGULATION.md indicator 5: no drug is selected or paid for before the doctor has signed
    /// the prescription (先方后药); then, like supply, only after pharmacist approval (先审后配) and while it is valid.
    /// </summary>
    private static Rejection? AfterPrescription(Findings findings, PrescriptionState state, Instant now, string verb)
    {
        if (state.Status == PrescriptionStatus.Drafted)
        {
            findings.Breach(RuleIds.NoDrugBeforePrescription, "prescription.not_signed", $"You cannot {verb} a prescription the doctor has not signed (先方后药).");
            if (findings.Rejection is { } rejection)
            {
                return rejection;
            }
        }

        return AfterApproval(findings, state, now, verb, PrescriptionStatus.Approved, PrescriptionStatus.HandedOff);
    }

    /// <summary>
    /// 医疗机构处方审核规范: hand-off, dispensing and delivery come only after pharmacist approval (先审后配);
    /// 处方管理办法 Art. 18: and only while the prescription is valid. Returns the rejection when the prescription
    /// cannot move on; the expiry breach goes into <paramref name="findings"/>.
    /// </summary>
    private static Rejection? AfterApproval(Findings findings, PrescriptionState state, Instant now, string verb, params PrescriptionStatus[] from)
    {
        if (state.Status is PrescriptionStatus.Drafted or PrescriptionStatus.Signed or PrescriptionStatus.Rejected)
        {
            findings.Breach(RuleIds.ReviewBeforeDispensing, "prescription.not_approved", $"You cannot {verb} a prescription a pharmacist has not approved.");
            return findings.Rejection ?? Rejections.WrongState(Stream, verb, state.Status);
        }

        if (!from.Contains(state.Status))
        {
            return Rejections.WrongState(Stream, verb, state.Status);
        }

        if (state.Status != PrescriptionStatus.Dispensed && state.ValidUntil is { } until && now >= until)
        {
            findings.Stop(RuleIds.Validity, "prescription.expired", "The prescription has expired; write a new one.");
        }

        return null;
    }
}
