using NodaTime;
using Records.Domain.Prescription;
using Records.Domain.Rules;

namespace Records.Projections.Regulator;

// Prescriptions: dispensing before approval (4), drug before prescription (5), banned classes (6), the visit's
// doctor and reliable signatures (8), limits (11), the review (12), and the visit's checks for the act of prescribing.
internal sealed partial class Detector
{
    private async Task<Scope?> Prescription(string id, IPrescriptionEvent e, CancellationToken ct)
    {
        if (e is PrescriptionDrafted drafted)
        {
            return await Drafted(id, drafted, ct);
        }

        if (await ws.GetAsync<PrescriptionFacts>("prescription", id, ct) is not { } rx) return null;
        ws.Changed("prescription", id);
        var visit = await ws.GetAsync<ConsultationFacts>("consultation", rx.ConsultationId, ct);
        var scope = new Scope($"prescription:{id}", await PlaceOf(visit?.InstitutionId ?? _actorInstitution, ct), rx.PrescriberId, rx.PatientRef, visit?.Id);
        switch (e)
        {
            case PrescriptionSigned x:
                rx.SignedAt = x.SignedAt;
                rx.Signed = _event;
                await CheckSignature(scope, rx, x.SignatureId, ct);
                if (x.ValidUntil is { } until && Rule(scope, RuleIds.Validity) is { } validity
                    && until > Domain.ChinaTime.StartOf(Domain.ChinaTime.DateOf(x.SignedAt).PlusDays(validity.Parameter<ValidityLimit>().ValidDays)))
                {
                    Raise(scope, validity, "prescription.validity_over_limit", $"Valid until {until} when signed; only the day written is allowed.", rx.Drafted);
                }

                break;
            case PrescriptionValidityExtended x when Rule(scope, RuleIds.Validity) is { } extension && x.TotalDays > extension.Parameter<ValidityLimit>().MaxExtendedDays:
                Raise(scope, extension, "prescription.validity_extended", $"Validity extended to {x.TotalDays} days; at most {extension.Parameter<ValidityLimit>().MaxExtendedDays}.", rx.Signed);
                break;
            case PrescriptionApproved x:
                rx.ApprovedAt = x.ApprovedAt;
                rx.Approved = _event;
                await CheckReview(scope with { PractitionerId = x.ReviewerId }, rx, x.ReviewerId, ct);
                break;
            case PrescriptionHandedOff or PrescriptionDispensed or PrescriptionDelivered:
                CheckSupply(scope, rx);
                break;
        }

        return scope;
    }

    private async Task<Scope> Drafted(string id, PrescriptionDrafted x, CancellationToken ct)
    {
        var rx = ws.Put("prescription", id, new PrescriptionFacts
        {
            Id = id, ConsultationId = x.ConsultationId, PatientRef = Pseudonym(x.PatientId)!, PrescriberId = x.PrescriberId, Drafted = _event,
            WrittenOn = Domain.ChinaTime.DateOf(x.DraftedAt), StrictestClass = Domain.Retention.RetainedRecords.StrictestOf(x.Lines),
        });
        var visit = await ws.GetAsync<ConsultationFacts>("consultation", x.ConsultationId, ct);
        var scope = new Scope($"prescription:{id}", await PlaceOf(visit?.InstitutionId ?? _actorInstitution, ct), x.PrescriberId, rx.PatientRef, visit?.Id);

        // 互联网诊疗管理办法（试行） Art. 19: no narcotic, psychotropic or other specially controlled drug online.
        if (Rule(scope, RuleIds.NoControlledDrugsOnline) is { } banned
            && x.Lines.FirstOrDefault(l => banned.Parameter<BannedDrugClasses>().Classes.Contains(l.Class)) is { } controlled)
        {
            Raise(scope, banned, "prescription.controlled_drug_online", $"{controlled.Drug} ({controlled.Class}) was prescribed online.");
        }

        // 医疗机构处方审核规范: written by the visit's doctor, never by a machine.
        if (ActorIsMachine)
        {
            Raise(scope, RuleIds.NoMachineClinician, "prescription.machine_author", $"The prescription was written by a {_actor!.Role} principal.");
        }
        else if (visit is not null && visit.DoctorId != x.PrescriberId)
        {
            Raise(scope, RuleIds.PrescribedByVisitDoctor, "prescription.not_visit_doctor",
                $"Written by {x.PrescriberId}, not by the visit's doctor {visit.DoctorId ?? "(none accepted it)"}.", visit.Requested);
        }

        // 处方管理办法 Art. 19 and the 5-drug rule: limits unless a reason is written.
        if (Rule(scope, RuleIds.MaxDrugs) is { } maxDrugs && x.Lines.Count > maxDrugs.Parameter<MaximumDrugs>().Drugs)
        {
            Raise(scope, maxDrugs, "prescription.too_many_drugs", $"{x.Lines.Count} drugs; at most {maxDrugs.Parameter<MaximumDrugs>().Drugs}.");
        }

        if (Rule(scope, RuleIds.DaysSupply) is { } supply && string.IsNullOrWhiteSpace(x.LongerSupplyReason))
        {
            var limit = x.Emergency ? supply.Parameter<DaysSupplyLimit>().EmergencyMaxDays : supply.Parameter<DaysSupplyLimit>().MaxDays;
            if (x.Lines.FirstOrDefault(l => l.DaysSupply > limit) is { } over)
            {
                Raise(scope, supply, "prescription.days_supply_over_limit", $"{over.Drug}: {over.DaysSupply} days' supply without a written reason; the limit is {limit}.");
            }
        }

        // 长期处方管理规范（试行）: at most 12 weeks, whatever the reason.
        if (Rule(scope, RuleIds.LongTermMaxDays) is { } longTerm && x.Lines.FirstOrDefault(l => l.DaysSupply > longTerm.Parameter<MaximumDays>().Days) is { } tooLong)
        {
            Raise(scope, longTerm, "prescription.over_long_term_limit", $"{tooLong.Drug}: {tooLong.DaysSupply} days' supply; at most {longTerm.Parameter<MaximumDays>().Days}.");
        }

        if (visit is not null)
        {
            await CheckClinicalAction(visit, scope, x.PrescriberId, x.Diagnoses, ct);
        }

        return scope;
    }

    // 电子签名法 Art. 13: the prescriber's own recorded signature, made with a key valid at the time.
    private async Task CheckSignature(Scope scope, PrescriptionFacts rx, string signatureId, CancellationToken ct)
    {
        if (ActorIsMachine)
        {
            Raise(scope, RuleIds.NoMachineClinician, "prescription.machine_author", $"The prescription was signed by a {_actor!.Role} principal.");
        }

        var signature = await ws.GetAsync<SignatureFacts>("signature", signatureId, ct);
        if (signature is null || signature.SignedAt > rx.SignedAt)
        {
            Raise(scope, RuleIds.ReliableSignature, "signature.not_recorded", $"Signature {signatureId} was not recorded when the prescription was signed.");
            return;
        }

        if (signature.SignerId != rx.PrescriberId)
        {
            Raise(scope, RuleIds.ReliableSignature, "signature.wrong_signer", $"Signed by {signature.SignerId}, not the prescriber {rx.PrescriberId}.", signature.Recorded);
            return;
        }

        // 电子病历应用管理规范: the signing time comes from an authoritative source; a device claiming another time may be backdating.
        if (Rule(scope, RuleIds.AuthoritativeSigningTime) is { } clock
            && Duration.Max(signature.ClaimedAt - signature.SignedAt, signature.SignedAt - signature.ClaimedAt) > clock.Parameter<Tolerance>().Within)
        {
            Raise(scope, clock, "signature.claimed_time_skewed", $"The signer's device claimed {signature.ClaimedAt}, the authoritative time was {signature.SignedAt}.", signature.Recorded);
        }

        var signer = await ws.GetAsync<PractitionerFacts>("practitioner", signature.SignerId, ct);
        if (signer is null || !signer.Keys.TryGetValue(signature.KeyFingerprint, out var key) || !key.ValidAt(signature.SignedAt))
        {
            Raise(scope, RuleIds.ReliableSignature, "signature.key_not_valid",
                $"The key {signature.KeyFingerprint} was not a valid registered key of {signature.SignerId} when it signed.", signature.Recorded);
        }
    }

    // 医疗机构处方审核规范: a pharmacist with enough experience, not the prescriber, and not in a hurry.
    private async Task CheckReview(Scope scope, PrescriptionFacts rx, string reviewerId, CancellationToken ct)
    {
        if (reviewerId == rx.PrescriberId)
        {
            Raise(scope, RuleIds.ReviewerNotPrescriber, "prescription.reviewer_is_prescriber", "The prescriber reviewed their own prescription.", rx.Drafted);
        }

        var reviewer = await ws.GetAsync<PractitionerFacts>("practitioner", reviewerId, ct);
        if (reviewer is not { Profession: Domain.Practitioner.Profession.Pharmacist })
        {
            Raise(scope, RuleIds.ReviewerExperiencedPharmacist, "prescription.reviewer_not_pharmacist", $"{reviewerId} is not a registered pharmacist.");
        }
        else if (Rule(scope, RuleIds.ReviewerExperiencedPharmacist) is { } experienced
            && Domain.ChinaTime.YearsSince(reviewer.PracticeSince, _at) < experienced.Parameter<MinimumYears>().Years)
        {
            Raise(scope, experienced, "prescription.reviewer_too_inexperienced",
                $"{reviewerId} has {Domain.ChinaTime.YearsSince(reviewer.PracticeSince, _at)} years of dispensing; {experienced.Parameter<MinimumYears>().Years} are needed.");
        }

        if (rx.SignedAt is { } signedAt && Rule(scope, RuleIds.ReviewTooFast) is { } fast && _at - signedAt < fast.Parameter<MinimumDuration>().Duration)
        {
            Raise(scope, fast, "prescription.review_too_fast", $"Reviewed {(_at - signedAt).TotalSeconds:0} s after signing.", rx.Signed);
        }
    }

    // Review norms: no hand-off or dispensing before approval; 先方后药: nothing before the signed prescription.
    private void CheckSupply(Scope scope, PrescriptionFacts rx)
    {
        if (rx.SignedAt is null || _at < rx.SignedAt)
        {
            Raise(scope, RegulatorRules.PrescriptionBeforeDrug, "prescription.drug_before_prescription",
                rx.SignedAt is null ? "The drug left the pharmacy before the prescription was signed." : $"The drug left the pharmacy at {_at}, before the signature at {rx.SignedAt}.",
                rx.Drafted, rx.Signed);
        }

        if (rx.ApprovedAt is null || _at < rx.ApprovedAt)
        {
            Raise(scope, RuleIds.ReviewBeforeDispensing, "prescription.not_approved",
                rx.ApprovedAt is null ? "Handed off, dispensed or delivered before a pharmacist approved it." : $"Supplied at {_at}, before the approval at {rx.ApprovedAt}.",
                rx.Drafted, rx.Approved);
        }
    }
}
