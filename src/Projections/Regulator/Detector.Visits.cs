using Records.Domain;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Practitioner;
using Records.Domain.Rules;

namespace Records.Projections.Regulator;

// Consultations: first visits (1), diagnoses outside the evidence (2), condition changes (3), children (7),
// real-name verification (9), qualification (10), consent (13), the visit's record (14) and reply limits (19).
internal sealed partial class Detector
{
    private const string ReplyLate = "visit.reply_late";
    private const string RecordNotSigned = "visit.record_not_signed_in_time";

    private async Task<Scope?> Consultation(string id, IConsultationEvent e, CancellationToken ct)
    {
        if (e is ConsultationRequested requested)
        {
            return await Requested(id, requested, ct);
        }

        // An event of a consultation the log never opened tells the regulator nothing it can attribute.
        if (await ws.GetAsync<ConsultationFacts>("consultation", id, ct) is not { } visit) return null;
        ws.Changed("consultation", id);
        var scope = await VisitScope(visit, visit.DoctorId, ct);
        switch (e)
        {
            case ConsultationAccepted x:
                visit.DoctorId = x.DoctorId;
                scope = scope with { PractitionerId = x.DoctorId };
                await CheckDoctor(visit, scope, x.DoctorId, ct);
                break;
            case OfflineEvidenceAttached x:
                visit.Evidence.Add(_event);
                visit.EvidencedCategories.AddRange(x.Diagnoses.Select(d => d.Category()).Except(visit.EvidencedCategories));
                break;
            case ChildSafeguardsAttested:
                visit.ChildSafeguardsAttested = true;
                break;
            case MessagePosted x when x.SenderId == visit.DoctorId:
                await CheckClinicalAction(visit, scope, x.SenderId, [], ct);
                Replied(visit, scope);
                break;
            case DiagnosisRecorded x:
                await CheckClinicalAction(visit, scope, x.DoctorId, [x.Diagnosis], ct);
                Replied(visit, scope);
                break;
            case ConditionChangeFlagged:
                visit.ConditionChange = _event;
                break;
            case ConsultationTerminated:
                visit.Terminated = true;
                Replied(visit, scope);
                break;
            case ConsultationCompleted:
                await Completed(visit, scope, ct);
                Replied(visit, scope);
                break;
        }

        return scope;
    }

    private async Task<Scope> Requested(string id, ConsultationRequested x, CancellationToken ct)
    {
        var visit = ws.Put("consultation", id, new ConsultationFacts
        {
            Id = id, PatientRef = Pseudonym(x.PatientId)!, InstitutionId = x.InstitutionId, Kind = x.Kind, Subject = x.Subject, RequestedAt = x.RequestedAt, Requested = _event,
        });
        var scope = await VisitScope(visit, null, ct);

        // 互联网诊疗管理办法（试行） Art. 16: no online diagnosis (a follow-up visit) for a first visit, unless a pilot in
        // force let this one through. Advice (咨询) and doctor-to-doctor remote consultation are not that, as in the domain.
        if (x.FirstVisit && x.Kind == ConsultationKind.OnlineFollowUp && x.FirstVisitPilot is null)
        {
            Raise(scope, RuleIds.NoOnlineFirstVisit, "visit.first_visit_online", "A first visit was taken online.");
        }

        // Guangdong notice (亮证经营): the first doctor reply within the hospital's published limit.
        var institution = await ws.GetAsync<InstitutionFacts>("institution", x.InstitutionId, ct);
        if (institution?.ReplyLimit is { } limit && Rule(scope, RuleIds.ReplyWithinPublishedLimit) is { } reply)
        {
            Expect(scope, reply, ReplyLate, $"No doctor reply within the published limit of {limit.TotalMinutes:0} min.", x.RequestedAt + limit);
        }

        return scope;
    }

    /// <summary>The doctor's first answer the patient sees: a message, a diagnosis, or the visit's end.</summary>
    private void Replied(ConsultationFacts visit, Scope scope)
    {
        if (visit.DoctorReplied) return;
        visit.DoctorReplied = true;
        Fulfil(ReplyLate, scope);
    }

    private async Task<Scope> VisitScope(ConsultationFacts visit, string? practitionerId, CancellationToken ct) =>
        new($"consultation:{visit.Id}", await PlaceOf(visit.InstitutionId, ct), practitionerId, visit.PatientRef, visit.Id);

    /// <summary>The checks every clinical act in a visit passes: a message, a diagnosis, a prescription, the completion.</summary>
    private async Task CheckClinicalAction(ConsultationFacts visit, Scope scope, string doctorId, IReadOnlyList<Diagnosis> diagnoses, CancellationToken ct)
    {
        scope = scope with { PractitionerId = doctorId };

        // 互联网诊疗管理办法（试行） Art. 16: a follow-up rests on offline records, for the same diagnosis.
        if (visit.Kind == ConsultationKind.OnlineFollowUp && diagnoses.Count > 0)
        {
            if (visit.Evidence.Count == 0)
            {
                Raise(scope, RuleIds.FollowUpNeedsOfflineEvidence, "visit.no_offline_evidence", "A follow-up was treated without the patient's offline diagnosis records.", visit.Requested);
            }
            else if (diagnoses.FirstOrDefault(d => !visit.EvidencedCategories.Contains(d.Category())) is { } other)
            {
                Raise(scope, RuleIds.FollowUpSameDiagnosis, "visit.diagnosis_not_evidenced",
                    $"{other.Icd10} is not among the diagnoses the offline records show ({string.Join(", ", visit.EvidencedCategories)}).", [.. visit.Evidence]);
            }
        }

        // 宁夏 应急处置: after a condition change only termination and referral may follow.
        if (visit.ConditionChange is not null && diagnoses.Count > 0)
        {
            Raise(scope, RuleIds.StopOnConditionChange, "visit.continued_after_condition_change",
                "The visit went on with diagnosis or prescription after the condition changed.", visit.ConditionChange);
        }

        await CheckChild(visit, scope, ct);
        await CheckVerified(visit, scope, doctorId, ct);
        await CheckDoctor(visit, scope, doctorId, ct);
        await CheckConsent(visit, scope, ct);
    }

    private async Task Completed(ConsultationFacts visit, Scope scope, CancellationToken ct)
    {
        if (visit.ConditionChange is not null && !visit.Terminated)
        {
            Raise(scope, RuleIds.StopOnConditionChange, "visit.completed_without_referral",
                "The visit was completed instead of terminated and referred after the condition changed.", visit.ConditionChange);
        }

        await CheckChild(visit, scope, ct);
        await CheckConsent(visit, scope, ct);

        // EMR norms; dispute regulation Art. 15: the visit's record is signed within the configured hours.
        if (!visit.SignedRecord && Rule(scope, RuleIds.LateSignature) is { } late)
        {
            var within = late.Parameter<Deadline>().Within;
            Expect(scope, late, RecordNotSigned, $"No signed record of the visit within {within.TotalHours:0.#} h of its end.", _at + within, visit.Requested);
        }
    }

    // 互联网诊疗管理办法（试行） Art. 19: a child under 6 with a guardian and a relevant specialist present.
    private async Task CheckChild(ConsultationFacts visit, Scope scope, CancellationToken ct)
    {
        if (visit.ChildSafeguardsAttested || Rule(scope, RuleIds.ChildGuardianAndSpecialist) is not { } child) return;
        var patient = await ws.GetAsync<PatientFacts>("patient", visit.PatientRef, ct);
        if (patient is not null && ChinaTime.YearsSince(patient.DateOfBirth, visit.RequestedAt) < child.Parameter<AgeBelow>().Years)
        {
            Raise(scope, child, "visit.child_without_guardian_and_specialist",
                $"A child under {child.Parameter<AgeBelow>().Years} was treated without a guardian and a specialist attested present.", visit.Requested);
        }
    }

    // 互联网诊疗监管细则（试行）: the doctor passes real-name verification for this consultation before acting in it.
    private async Task CheckVerified(ConsultationFacts visit, Scope scope, string doctorId, CancellationToken ct)
    {
        var doctor = await ws.GetAsync<PractitionerFacts>("practitioner", doctorId, ct);
        var verified = doctor is not null && doctor.VerifiedFor.TryGetValue(visit.Id, out var at) && at <= _at;
        if (!verified || (_actor is { } actor && actor.Id == doctorId && !actor.RealNameVerified))
        {
            Raise(scope, RuleIds.PractitionerRealNameVerified, "practitioner.not_real_name_verified",
                $"{doctorId} acted in the consultation before passing real-name verification for it.");
        }
    }

    // Who may practise: registered or filed here, within scope, enough years, not suspended (at the time).
    private async Task CheckDoctor(ConsultationFacts visit, Scope scope, string doctorId, CancellationToken ct)
    {
        if (ActorIsMachine && _actor!.Id == doctorId)
        {
            Raise(scope, RuleIds.NoMachineClinician, "clinical.machine_actor", "A machine account or an AI acted as the clinician.");
            return;
        }

        var doctor = await ws.GetAsync<PractitionerFacts>("practitioner", doctorId, ct);
        if (doctor is not { Profession: Profession.Physician } || doctor.ActiveEnrolment(visit.InstitutionId) is not { } enrolment)
        {
            Raise(scope, RuleIds.PractitionerRegisteredHere, "practitioner.not_registered_here", $"{doctorId} is not a physician registered or filed with {visit.InstitutionId}.");
            return;
        }

        if (doctor.Suspended)
        {
            Raise(scope, RuleIds.PractitionerNotSuspended, "practitioner.suspended", $"{doctorId} practised while suspended.");
        }

        if (!enrolment.Scope.Contains(visit.Subject))
        {
            Raise(scope, RuleIds.PractitionerWithinScope, "practitioner.outside_scope", $"{visit.Subject} is outside {doctorId}'s practice scope here.");
        }

        if (Rule(scope, RuleIds.PractitionerMinPracticeYears) is { } years && ChinaTime.YearsSince(doctor.PracticeSince, _at) < years.Parameter<MinimumYears>().Years)
        {
            Raise(scope, years, "practitioner.too_little_practice",
                $"{doctorId} has {ChinaTime.YearsSince(doctor.PracticeSince, _at)} years of practice; {years.Parameter<MinimumYears>().Years} are needed.");
        }

        // 宁夏互联网医院监管标准: an intermediate title or higher (a province rule, not in force elsewhere).
        if (Rule(scope, RuleIds.PractitionerMinTitle) is { } title && doctor.Grade < title.Parameter<MinimumTitle>().Grade)
        {
            Raise(scope, title, "practitioner.title_too_low", $"{doctorId}'s title grade is {doctor.Grade}; {title.Parameter<MinimumTitle>().Grade} or higher is needed.");
        }
    }

    // Telemedicine norms: written consent for a remote consultation; national standard: informed consent for an online follow-up.
    private async Task CheckConsent(ConsultationFacts visit, Scope scope, CancellationToken ct)
    {
        var (consentScope, written, ruleId, code) = visit.Kind switch
        {
            ConsultationKind.RemoteConsultation => (ConsentScope.RemoteConsultation, true, RuleIds.RemoteConsultationWrittenConsent, "visit.no_written_consent"),
            ConsultationKind.OnlineFollowUp => (ConsentScope.OnlineVisit, false, RuleIds.InformedConsentForOnlineVisit, "visit.no_informed_consent"),
            _ => (default(ConsentScope?), false, "", ""),
        };
        if (consentScope is not { } needed) return;
        var patient = await ws.GetAsync<PatientFacts>("patient", visit.PatientRef, ct);
        foreach (var consentId in patient?.ConsentIds ?? [])
        {
            if ((await ws.GetAsync<ConsentFacts>("consent", consentId, ct))?.Covers(needed, visit.Id, _at, written) == true) return;
        }

        Raise(scope, ruleId, code, $"No {(written ? "signed " : "")}consent in force covers this {visit.Kind} visit.", visit.Requested);
    }
}
