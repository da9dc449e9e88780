namespace Records.Domain.Consultation;

using Records.Domain.Consent;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Signature;

/// <summary>
/// What a consultation decision needs from other streams: the patient, the institution, the acting practitioner
/// (null when the actor is not one), the patient's consents, and the signature the command names (a report's).
/// </summary>
public sealed record ConsultationContext(
    Instant Now, Regulation Regulation, PatientState? Patient, InstitutionState? Institution, PractitionerState? Practitioner,
    IReadOnlyList<ConsentState> Consents, SignatureState? Signature = null);

/// <summary>Online advice, follow-up and remote consultation: from request to completion or termination and referral.</summary>
public static class ConsultationDecider
{
    private const string Stream = "consultation";

    public static Decision<IConsultationEvent> Decide(IConsultationCommand command, ConsultationState state, ConsultationContext context)
    {
        // Who may act comes before whether the record exists and what state it is in, so a refused caller learns neither.
        if (command is RequestConsultation request)
        {
            return Request(request, state, context);
        }

        if (state.Status == ConsultationStatus.None)
        {
            return Rejections.NotFound(Stream);
        }

        var actor = command.Meta.Actor;
        var now = context.Now;
        var findings = new Findings(context.Regulation, now);
        switch (command)
        {
            case AcceptConsultation:
                Qualify(findings, state, context, actor);
                if (findings.Rejection is { } unqualified)
                {
                    return unqualified;
                }

                if (state.Status != ConsultationStatus.Requested)
                {
                    return Rejections.WrongState(Stream, "accept", state.Status);
                }

                return findings.Decide<IConsultationEvent>(flags => new ConsultationAccepted(actor.Id, now, flags));

            case AttachOfflineEvidence c:
                if (!IsPatientSide(actor, state, context) && actor.Id != state.DoctorId)
                {
                    return Rejections.NotAllowed(Stream, "attach evidence to this consultation", actor.Role);
                }

                if (state.Status is not (ConsultationStatus.Requested or ConsultationStatus.InProgress))
                {
                    return Rejections.WrongState(Stream, "attach evidence to", state.Status);
                }

                return !CanonicalHash.IsSha256Hex(c.ContentHash) || c.Diagnoses.Count == 0
                    ? Rejections.Invalid("consultation.invalid_evidence", "Evidence needs the SHA-256 hash of the document and the diagnoses it shows.")
                    : new OfflineEvidenceAttached(c.Kind, c.DocumentRef, c.ContentHash, c.IssuedBy, c.Diagnoses, actor.Id, now);

            case PostMessage c:
                var byDoctor = actor.Id == state.DoctorId;
                if (!byDoctor && !IsPatientSide(actor, state, context))
                {
                    return Rejections.NotAllowed(Stream, "post in this consultation", actor.Role);
                }

                if (state.Status is not (ConsultationStatus.InProgress or ConsultationStatus.MustStop))
                {
                    return Rejections.WrongState(Stream, "post a message in", state.Status);
                }

                var wellFormed = c.Kind == MessageKind.Text
                    ? !string.IsNullOrWhiteSpace(c.Text)
                    : !string.IsNullOrWhiteSpace(c.ContentRef) && CanonicalHash.IsSha256Hex(c.ContentHash);
                if (!wellFormed)
                {
                    return Rejections.Invalid("consultation.invalid_message", "A text message needs text; an image, audio or video needs a reference and its SHA-256 hash.");
                }

                // Guangdong notice (亮证经营): the first doctor reply comes within the published reply limit.
                if (byDoctor && !state.DoctorReplied && context.Institution?.ReplyLimit is { } limit && now - state.RequestedAt > limit)
                {
                    findings.Breach(RuleIds.ReplyWithinPublishedLimit, "visit.reply_late",
                        $"First reply {(now - state.RequestedAt).TotalMinutes:0} min after the request; the published limit is {limit.TotalMinutes:0} min.");
                }

                return findings.Decide<IConsultationEvent>(flags => new MessagePosted(c.MessageId, actor.Id, c.Kind, c.Text, c.ContentRef, c.ContentHash, now, flags));
        }

        // Everything below is the act of the doctor who accepted the visit.
        if (state.DoctorId is null || actor.Id != state.DoctorId)
        {
            return Rejections.Invalid("consultation.not_the_doctor", "Only the doctor who accepted this consultation can do this.");
        }

        switch (command)
        {
            case AttestChildSafeguards c:
                if (state.Status != ConsultationStatus.InProgress)
                {
                    return Rejections.WrongState(Stream, "attest safeguards in", state.Status);
                }

                return context.Patient is { } guarded && guarded.Id == state.PatientId && guarded.Guardian?.GuardianId == c.GuardianId
                    && !string.IsNullOrWhiteSpace(c.SpecialistId)
                    ? new ChildSafeguardsAttested(c.GuardianId, c.SpecialistId, actor.Id, now)
                    : Rejections.Invalid("consultation.not_the_guardian", "The person present must be the patient's registered guardian, with a named specialist.");

            case DeclareAiAssistance c:
                return state.Status == ConsultationStatus.InProgress
                    ? new AiAssistanceDeclared(c.Tool, c.Purpose, actor.Id, now)
                    : Rejections.WrongState(Stream, "declare AI assistance in", state.Status);

            case RecordDiagnosis c:
                Qualify(findings, state, context, actor);
                if (findings.Rejection is { } unqualified)
                {
                    return unqualified;
                }

                if (state.Kind == ConsultationKind.OnlineAdvice)
                {
                    return Rejections.Invalid("consultation.advice_has_no_diagnosis", "Online advice (在线咨询) does not diagnose; open a follow-up visit.");
                }

                if (context.Patient is not { Registered: true } patient || patient.Id != state.PatientId)
                {
                    return Rejections.NotFound("patient");
                }

                VisitRules.CheckTreatment(findings, state, patient, [c.Diagnosis], now);
                if (findings.Rejection is null && state.Status != ConsultationStatus.InProgress)
                {
                    return Rejections.WrongState(Stream, "record a diagnosis in", state.Status);
                }

                return findings.Decide<IConsultationEvent>(flags => new DiagnosisRecorded(c.Diagnosis, actor.Id, now, flags));

            case AssessRisk c:
                return state.Status is ConsultationStatus.InProgress or ConsultationStatus.MustStop
                    ? new RiskAssessed(c.Level, c.Note, actor.Id, now)
                    : Rejections.WrongState(Stream, "assess risk in", state.Status);

            case FlagConditionChange c:
                return state.Status == ConsultationStatus.InProgress
                    ? new ConditionChangeFlagged(c.Note, c.JudgedFirstVisit, actor.Id, now)
                    : Rejections.WrongState(Stream, "flag a condition change in", state.Status);

            // Stopping a visit is always possible, even for a doctor whose qualification lapsed meanwhile.
            case TerminateAndRefer c:
                return state.Status is ConsultationStatus.InProgress or ConsultationStatus.MustStop
                    ? new ConsultationTerminated(c.Reason, c.ReferredTo, actor.Id, now)
                    : Rejections.WrongState(Stream, "terminate", state.Status);

            case CompleteConsultation c:
                if (state.Status == ConsultationStatus.MustStop)
                {
                    // 宁夏互联网医院监管标准 应急处置: a visit that must stop ends in termination and referral, not completion.
                    findings.Breach(RuleIds.StopOnConditionChange, "visit.must_terminate", "The condition changed: terminate the visit and refer the patient.");
                }
                else if (state.Status != ConsultationStatus.InProgress)
                {
                    return Rejections.WrongState(Stream, "complete", state.Status);
                }

                if (state.Kind == ConsultationKind.RemoteConsultation)
                {
                    return CompleteRemote(c, state, context, findings);
                }

                return findings.Decide<IConsultationEvent>(flags => new ConsultationCompleted(c.Summary, actor.Id, now, flags));

            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
        }
    }

    public static ConsultationState Evolve(ConsultationState state, IConsultationEvent @event) => @event switch
    {
        ConsultationRequested e => state with
        {
            Status = ConsultationStatus.Requested, Id = e.ConsultationId, PatientId = e.PatientId, InstitutionId = e.InstitutionId, Kind = e.Kind,
            Subject = e.Subject, FirstVisit = e.FirstVisit, FirstVisitPilot = e.FirstVisitPilot, RequestedAt = e.RequestedAt,
        },
        ConsultationAccepted e => state with { Status = ConsultationStatus.InProgress, DoctorId = e.DoctorId },
        OfflineEvidenceAttached e => state with { Evidence = state.Evidence.Add(new OfflineEvidence(e.Kind, e.DocumentRef, e.ContentHash, e.Diagnoses)) },
        ChildSafeguardsAttested => state with { ChildSafeguardsAttested = true },
        MessagePosted e => state with { Messages = state.Messages + 1, DoctorReplied = state.DoctorReplied || e.SenderId == state.DoctorId },
        AiAssistanceDeclared e => state with { AiTools = state.AiTools.Add(e.Tool) },
        DiagnosisRecorded e => state with { Diagnoses = state.Diagnoses.Add(e.Diagnosis) },
        RiskAssessed e => state with { Risk = e.Level },
        ConditionChangeFlagged => state with { Status = ConsultationStatus.MustStop },
        ConsultationTerminated => state with { Status = ConsultationStatus.Terminated },
        ConsultationReportSigned e => state with { ReportSignatureId = e.SignatureId },
        ConsultationCompleted => state with { Status = ConsultationStatus.Completed },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name),
    };

    // 远程医疗服务管理规范（试行）; 宁夏互联网医院监管标准: the remote consultation report carries the diagnosing doctor's
    // signature, so the visit completes only with a report signed, over exactly its content, by the doctor who took it.
    private static Decision<IConsultationEvent> CompleteRemote(CompleteConsultation c, ConsultationState state, ConsultationContext context, Findings findings)
    {
        if (c.Report is not { } report)
        {
            findings.Breach(RuleIds.RemoteConsultationSignedReport, "visit.report_not_signed",
                "A remote consultation completes with its report signed by the diagnosing doctor.");
        }
        else if (!CanonicalHash.IsSha256Hex(report.ReportHash))
        {
            return Rejections.Invalid("visit.invalid_report_hash", "The report must be named by a SHA-256 hash in lower-case hex.");
        }
        else if (findings.Rule(RuleIds.RemoteConsultationSignedReport) is not null)
        {
            SignatureCheck.Covers(findings, context.Signature, report.SignatureId, report.ReportHash, state.DoctorId ?? "");
        }

        if (findings.Rejection is { } rejection)
        {
            return rejection;
        }

        var completed = new ConsultationCompleted(c.Summary, c.Meta.Actor.Id, context.Now, findings.Flags);
        return c.Report is { } signed && context.Signature is { } signature
            ? Decision<IConsultationEvent>.Accept(new ConsultationReportSigned(signed.ReportHash, signed.SignatureId, signature.SignerId, signature.SignedAt), completed)
            : completed;
    }

    private static Decision<IConsultationEvent> Request(RequestConsultation c, ConsultationState state, ConsultationContext context)
    {
        var actor = c.Meta.Actor;
        var named = context.Patient is { Registered: true } known && known.Id == c.PatientId ? known : null;
        var byPatientSide = actor.Role == Role.Patient && named is not null && named.IsPatientOrGuardian(actor.Id);
        var byInvitingDoctor = actor.Role == Role.Physician && c.Kind == ConsultationKind.RemoteConsultation;
        if (!byPatientSide && !byInvitingDoctor)
        {
            return Rejections.NotAllowed(Stream, "request this consultation", actor.Role);
        }

        if (state.Status != ConsultationStatus.None)
        {
            return Rejections.AlreadyExists(Stream);
        }

        if (named is not { } patient)
        {
            return Rejections.NotFound("patient");
        }

        var findings = new Findings(context.Regulation, context.Now);

        // 互联网医院管理办法（试行）: online services stay within the approved subjects (诊疗科目).
        if (context.Institution is not { Registered: true } institution || !institution.Approves(c.Subject))
        {
            findings.Breach(RuleIds.WithinApprovedSubjects, "visit.subject_not_approved", $"This hospital is not approved to treat {c.Subject} online.");
        }

        // 互联网诊疗管理办法（试行） Art. 16: no online diagnosis for a first visit, unless a pilot in force covers it.
        string? pilot = null;
        if (c.FirstVisit && c.Kind == ConsultationKind.OnlineFollowUp && findings.Rule(RuleIds.NoOnlineFirstVisit) is { } firstVisit)
        {
            if (firstVisit.Parameter<FirstVisitPolicy>().Pilot?.Covers(c.Subject, patient.AgeAt(context.Now)) == true)
            {
                pilot = firstVisit.Source;
            }
            else
            {
                findings.Breach(firstVisit, "visit.first_visit_online", "A first visit cannot be treated online: the patient must be seen at a physical institution first.");
            }
        }

        // 远程医疗服务管理规范（试行）: remote consultation needs the patient's informed, written consent.
        if (c.Kind == ConsultationKind.RemoteConsultation
            && !context.Consents.Any(k => k.IsWrittenConsentFor(patient.Id, ConsentScope.RemoteConsultation, c.ConsultationId)))
        {
            findings.Breach(RuleIds.RemoteConsultationWrittenConsent, "visit.no_written_consent",
                "Remote consultation needs the patient's signed consent for it first.");
        }

        // National basic standard; Ningxia 执业行为: informed consent before the online treatment it covers (a flag).
        if (c.Kind == ConsultationKind.OnlineFollowUp && !context.Consents.Any(k => k.IsInForceFor(patient.Id, ConsentScope.OnlineVisit)))
        {
            findings.Breach(RuleIds.InformedConsentForOnlineVisit, "visit.no_informed_consent", "The patient has not consented to online visits.");
        }

        return findings.Decide<IConsultationEvent>(flags => new ConsultationRequested(
            c.ConsultationId, c.PatientId, context.Regulation.Place.InstitutionId, c.Kind, c.Subject, c.Complaint, c.FirstVisit, pilot, actor.Id,
            context.Now, flags));
    }

    private static void Qualify(Findings findings, ConsultationState state, ConsultationContext context, Actor actor) =>
        Qualification.Check(findings, actor, context.Practitioner, Profession.Physician, state.InstitutionId, context.Now, state.Subject, state.Id);

    private static bool IsPatientSide(Actor actor, ConsultationState state, ConsultationContext context) =>
        actor.Role == Role.Patient && context.Patient is { } patient && patient.Id == state.PatientId && patient.IsPatientOrGuardian(actor.Id);
}
