using System.Text.Json;
using Records.Api.Commands;
using Records.Api.Tests.Writes;
using Records.Domain;
using static Records.Api.Demo.DemoPersonas;

namespace Records.Api.Tests.Authorization;

/// <summary>
/// Every command of the domain, sent by a role that may not give it to a record in a state that also refuses it:
/// the answer is the role's refusal (code and rule), never the state's, so a refused caller learns nothing of the
/// record. The same command to the same record by a role that may give it gets the state's refusal, which proves
/// the record's state refuses too. Runs on the demo hospital (its records in every state).
/// </summary>
public sealed class RoleBeforeStateTests(MatrixHostFixture host) : IClassFixture<MatrixHostFixture>
{
    private readonly WriteApi _api = new(host);

    /// <summary>
    /// <paramref name="Command"/> (its C# name) with the input <paramref name="Target"/> makes (after any steps it takes first):
    /// <paramref name="Refused"/> gets <paramref name="Code"/> with <paramref name="Rule"/> (null: a refusal no rule states);
    /// <paramref name="Allowed"/> gets <paramref name="StateCode"/>, the record's state or existence refusing (none for a command no state refuses).
    /// </summary>
    public sealed record Row(string Command, Func<WriteApi, Task<object>> Target, Actor Refused, string Code, string? Rule, Actor? Allowed = null, string? StateCode = null);

    /// <summary>Commands every role may give, so no caller is refused for their role: anyone records a signature of their own.</summary>
    private static readonly string[] OpenToEveryRole = ["RecordSignature"];

    private static Func<WriteApi, Task<object>> On(object input) => _ => Task.FromResult(input);

    private static readonly string Hash = new('a', 64);


    private static readonly object[] Diagnoses = [new { icd10 = "I10", text = "原发性高血压" }];

    private const string ByVisitDoctor = "prescription.by_visit_doctor";

    // The demo's records: c-zhang-htn is completed; rx-delivered delivered, rx-rejected rejected; doc-zhang-op signed, doc-zhang-note
    // signed and sealed; ae-zhang-edema reported, not investigated; cs-zhang-online in force. "…-none" ids name nothing.
    public static readonly Row[] Rows =
    [
        new("RegisterInstitution", On(new { institutionId = RecordsHostFixture.InstitutionId, name = "x", licenceNumber = "L", physicalInstitution = "x", provinceCode = "330000", subjects = new[] { "内科" } }),
            DrLi, "institution.role_not_allowed", null, Administrator, "institution.already_exists"),
        new("ApproveSubjects", On(new { institutionId = "ih-none", subjects = new[] { "内科" } }), QualityZhou, "institution.role_not_allowed", null, Administrator, "institution.not_found"),
        new("PublishServiceTerms", On(new { institutionId = "ih-none", replyLimit = "PT30M", fees = Array.Empty<object>() }), QualityZhou, "institution.role_not_allowed", null, Administrator, "institution.not_found"),
        new("ConnectToPlatform", On(new { institutionId = "ih-none", platformCode = "P" }), QualityZhou, "institution.role_not_allowed", null, Administrator, "institution.not_found"),

        new("RegisterPractitioner", On(new { practitionerId = DrLi.Id, name = "x", profession = "PHYSICIAN", title = "x", grade = "INTERMEDIATE", nationalRegistryNumber = "N", practiceSince = "2010-01-01" }),
            QualityZhou, "practitioner.role_not_allowed", null, Administrator, "practitioner.already_exists"),
        new("Enrol", On(new { practitionerId = "dr-none", institutionId = RecordsHostFixture.InstitutionId, kind = "FILED", scope = new[] { "内科" } }), DrLi, "practitioner.role_not_allowed", null, Administrator, "practitioner.not_found"),
        new("EndEnrolment", On(new { practitionerId = DrLi.Id, institutionId = "ih-none", reason = "x" }), DrLi, "practitioner.role_not_allowed", null, Administrator, "practitioner.not_enrolled"),
        new("RecordTraining", On(new { practitionerId = "dr-none", course = "x", passed = true, completedOn = "2026-01-01" }), DrLi, "practitioner.role_not_allowed", null, QualityZhou, "practitioner.not_found"),
        new("RecordBadPracticePoints", On(new { practitionerId = "dr-none", points = 1, reason = "x" }), PatientZhang, "practitioner.role_not_allowed", null, QualityZhou, "practitioner.not_found"),
        new("Suspend", On(new { practitionerId = "dr-none", reason = "x" }), NurseSun, "practitioner.role_not_allowed", null, QualityZhou, "practitioner.not_found"),
        new("Reinstate", On(new { practitionerId = DrLi.Id, reason = "x" }), NurseSun, "practitioner.role_not_allowed", null, QualityZhou, "practitioner.illegal_transition"),
        // A practitioner verifies their own real name, for any consultation, as often as asked: no state refuses it.
        new("VerifyRealName", On(new { practitionerId = DrLi.Id, consultationId = "c-zhang-htn", method = "x" }), PharmacistLiu, "practitioner.role_not_allowed", null),
        // A practitioner that does not exist is nobody's own record.
        new("RegisterSigningKey", On(new { practitionerId = "dr-none", key = new { fingerprint = Hash, algorithm = "ECDSA_P256_WITH_SHA256", publicKey = "AAAA", validFrom = "2026-01-01T00:00:00Z" } }),
            PharmacistLiu, "practitioner.role_not_allowed", null, Administrator, "practitioner.not_found"),
        new("RevokeSigningKey", On(new { practitionerId = DrLi.Id, fingerprint = Hash, reason = "x" }), PharmacistLiu, "practitioner.role_not_allowed", null, DrLi, "signing_key.not_found"),

        new("RegisterPatient", On(new { patientId = PatientZhang.Id, name = "x", sex = "MALE", dateOfBirth = "1980-01-01", identityDocumentHash = Hash, contact = "x" }),
            LegalHe, "patient.role_not_allowed", null, Administrator, "patient.already_exists"),
        new("ChangeContact", On(new { patientId = "pt-none", contact = "x" }), LegalHe, "patient.role_not_allowed", null, Administrator, "patient.not_found"),
        new("AssignGuardian", On(new { patientId = "pt-none", guardian = new { guardianId = "gd-x", name = "x", relationship = "x" } }), Regulator, "patient.role_not_allowed", null, Administrator, "patient.not_found"),
        new("RegisterPatientSigningKey", On(new { patientId = "pt-none", key = new { fingerprint = Hash, algorithm = "ECDSA_P256_WITH_SHA256", publicKey = "AAAA", validFrom = "2026-01-01T00:00:00Z" } }),
            PharmacistLiu, "patient.role_not_allowed", null, Administrator, "patient.not_found"),

        new("GrantConsent", On(new { consentId = "cs-zhang-online", patientId = PatientZhang.Id, scope = "ONLINE_VISIT", formVersion = "v3", formTextHash = Hash }),
            DrLi, "consent.grantor_not_patient_or_guardian", null, PatientZhang, "consent.already_exists"),
        new("WithdrawConsent", async api =>
            {
                var id = WriteApi.NewId("cs");
                await api.AcceptedAsync(PatientZhang, "GrantConsent", new { consentId = id, patientId = PatientZhang.Id, scope = "DATA_SHARING", formVersion = "v1", formTextHash = Hash });
                await api.AcceptedAsync(PatientZhang, "WithdrawConsent", new { consentId = id, reason = "x" });
                return new { consentId = id, reason = "again" };
            }, DrLi, "consent.grantor_not_patient_or_guardian", null, PatientZhang, "consent.illegal_transition"),

        new("RequestConsultation", On(new { consultationId = "c-zhang-htn", patientId = PatientZhang.Id, kind = "ONLINE_FOLLOW_UP", subject = "心血管内科", complaint = "x", firstVisit = false }),
            NurseSun, "consultation.role_not_allowed", null, PatientZhang, "consultation.already_exists"),
        new("AcceptConsultation", On(new { consultationId = "c-zhang-htn" }), PatientZhang, "practitioner.not_registered_here", "practitioner.registered_here", DrLi, "consultation.illegal_transition"),
        new("AttachOfflineEvidence", On(new { consultationId = "c-zhang-htn", kind = "OUTPATIENT_RECORD", documentRef = "x", contentHash = Hash, issuedBy = "x", diagnoses = Diagnoses }),
            NurseSun, "consultation.role_not_allowed", null, PatientZhang, "consultation.illegal_transition"),
        new("PostMessage", On(new { consultationId = "c-zhang-htn", messageId = "m", kind = "TEXT", text = "x" }), NurseSun, "consultation.role_not_allowed", null, PatientZhang, "consultation.illegal_transition"),
        new("AttestChildSafeguards", On(new { consultationId = "c-zhang-htn", guardianId = "gd-xiaoming", specialistId = "dr-wang" }), DrWang, "consultation.not_the_doctor", null, DrLi, "consultation.illegal_transition"),
        new("DeclareAiAssistance", On(new { consultationId = "c-zhang-htn", tool = "x", purpose = "x" }), DrWang, "consultation.not_the_doctor", null, DrLi, "consultation.illegal_transition"),
        new("RecordDiagnosis", On(new { consultationId = "c-zhang-htn", diagnosis = Diagnoses[0] }), DrWang, "consultation.not_the_doctor", null, DrLi, "consultation.illegal_transition"),
        new("AssessRisk", On(new { consultationId = "c-zhang-htn", level = "LOW", note = "x" }), DrWang, "consultation.not_the_doctor", null, DrLi, "consultation.illegal_transition"),
        new("FlagConditionChange", On(new { consultationId = "c-zhang-htn", note = "x", judgedFirstVisit = false }), DrWang, "consultation.not_the_doctor", null, DrLi, "consultation.illegal_transition"),
        new("TerminateAndRefer", On(new { consultationId = "c-zhang-htn", reason = "x", referredTo = "x" }), DrWang, "consultation.not_the_doctor", null, DrLi, "consultation.illegal_transition"),
        new("CompleteConsultation", On(new { consultationId = "c-zhang-htn", summary = "x" }), DrWang, "consultation.not_the_doctor", null, DrLi, "consultation.illegal_transition"),

        new("DraftPrescription", On(new { prescriptionId = "rx-draft", consultationId = "c-zhang-htn", diagnoses = Diagnoses, emergency = false,
                lines = new[] { new { drug = "苯磺酸氨氯地平片", @class = "ORDINARY", form = "片剂", strength = "5mg", quantity = 7, unit = "片", dosage = "每日一次", daysSupply = 7 } } }),
            PharmacistLiu, "prescription.not_visit_doctor", ByVisitDoctor, DrLi, "prescription.already_exists"),
        new("SignPrescription", On(new { prescriptionId = "rx-delivered", signatureId = "sig-none" }), DrWang, "prescription.not_visit_doctor", ByVisitDoctor, DrLi, "prescription.illegal_transition"),
        new("ApprovePrescription", On(new { prescriptionId = "rx-delivered", signatureId = "sig-none" }), NurseSun, "prescription.reviewer_not_pharmacist", "prescription.reviewer_experienced_pharmacist",
            PharmacistLiu, "prescription.illegal_transition"),
        new("RejectPrescription", On(new { prescriptionId = "rx-delivered", reasons = new[] { "x" } }), NurseSun, "prescription.reviewer_not_pharmacist", "prescription.reviewer_experienced_pharmacist",
            PharmacistLiu, "prescription.illegal_transition"),
        new("ExtendValidity", On(new { prescriptionId = "rx-delivered", totalDays = 3, reason = "x" }), DrWang, "prescription.not_visit_doctor", null, DrLi, "prescription.illegal_transition"),
        new("HandOffPrescription", On(new { prescriptionId = "rx-rejected", pharmacyId = "p" }), PatientZhang, "prescription.role_not_allowed", null, PharmacistLiu, "prescription.not_approved"),
        new("SelectDrugs", On(new { prescriptionId = "rx-rejected", pharmacyId = "p" }), PatientZhang, "prescription.role_not_allowed", null, PharmacistLiu, "prescription.not_approved"),
        new("TakePayment", On(new { prescriptionId = "rx-rejected", amount = "1.00", paymentRef = "P" }), PatientZhang, "prescription.role_not_allowed", null, PharmacyIntegrator, "prescription.not_approved"),
        new("DispensePrescription", On(new { prescriptionId = "rx-rejected" }), NurseSun, "prescription.role_not_allowed", null, PharmacistLiu, "prescription.not_approved"),
        new("DeliverPrescription", On(new { prescriptionId = "rx-rejected", trackingRef = "T" }), PatientZhang, "prescription.role_not_allowed", null, PharmacyIntegrator, "prescription.not_approved"),
        new("CancelPrescription", On(new { prescriptionId = "rx-delivered", reason = "x" }), NurseSun, "prescription.role_not_allowed", null, PharmacistLiu, "prescription.illegal_transition"),
        new("ExpirePrescription", On(new { prescriptionId = "rx-delivered" }), DrLi, "prescription.role_not_allowed", null, Administrator, "prescription.illegal_transition"),

        new("CreateDocument", On(new { documentId = "doc-zhang-op", patientId = PatientZhang.Id, consultationId = "c-zhang-htn", kind = "OUTPATIENT_RECORD", title = "x", contentHash = Hash, encounterEndedAt = "2026-01-01T00:00:00Z" }),
            QualityZhou, "document.role_not_allowed", null, DrLi, "document.already_exists"),
        new("AmendDocument", On(new { documentId = "doc-zhang-note", contentHash = Hash, reason = "x" }), QualityZhou, "document.role_not_allowed", null, DrLi, "document.sealed"),
        new("SignDocument", On(new { documentId = "doc-zhang-op", signatureId = "sig-none" }), Regulator, "document.role_not_allowed", null, DrLi, "document.already_signed"),
        new("SealCompletedPart", On(new { documentId = "doc-zhang-op", contentHash = Hash, description = "x" }), QualityZhou, "document.role_not_allowed", null, DrLi, "document.illegal_transition"),
        new("SealDocument", On(new { documentId = "doc-zhang-note", disputeRef = "D", sealingListHash = Hash, institutionSignatureId = "s1", patientSideSignatureId = "s2" }),
            DrLi, "document.role_not_allowed", null, QualityZhou, "document.illegal_transition"),
        new("UnsealDocument", On(new { documentId = "doc-zhang-op", ground = "DISPUTE_RESOLVED", resolutionRef = "R" }), DrLi, "document.role_not_allowed", null, QualityZhou, "document.illegal_transition"),
        new("ArchiveDocument", async api =>
            {
                var id = WriteApi.NewId("doc");
                await api.AcceptedAsync(DrLi, "CreateDocument", new { documentId = id, patientId = PatientZhang.Id, consultationId = "c-zhang-htn", kind = "OUTPATIENT_RECORD", title = "x", contentHash = Hash,
                    encounterEndedAt = "2026-01-01T00:00:00Z" });
                return new { documentId = id };
            }, PharmacistLiu, "document.role_not_allowed", null, DrLi, "document.unsigned"),

        new("RecordAdverseEvent", On(new { adverseEventId = "ae-zhang-edema", patientId = PatientZhang.Id, category = "ADVERSE_DRUG_REACTION", severity = "MILD", description = "x", occurredAt = "2026-01-01T00:00:00Z" }),
            PatientZhang, "adverse_event.role_not_allowed", null, PharmacistLiu, "adverse_event.already_exists"),
        new("ReportAdverseEvent", On(new { adverseEventId = "ae-zhang-edema", authority = "x", reportRef = "x" }), PatientZhang, "adverse_event.role_not_allowed", null, PharmacistLiu, "adverse_event.already_reported"),
        new("RecordAdverseEventInvestigation", On(new { adverseEventId = "ae-none", findings = "x" }), DrLi, "adverse_event.role_not_allowed", null, QualityZhou, "adverse_event.not_found"),
        new("CloseAdverseEvent", On(new { adverseEventId = "ae-zhang-edema", outcome = "x" }), PharmacistLiu, "adverse_event.role_not_allowed", null, QualityZhou, "adverse_event.not_reported_or_investigated"),

        new("LodgeComplaint", async api =>
            {
                var id = WriteApi.NewId("cp");
                await api.AcceptedAsync(PatientZhang, "LodgeComplaint", new { complaintId = id, patientId = PatientZhang.Id, practitionerId = DrLi.Id, consultationId = "c-zhang-htn", text = "x" });
                return new { complaintId = id, patientId = PatientZhang.Id, practitionerId = DrLi.Id, consultationId = "c-zhang-htn", text = "again" };
            }, DrLi, "complaint.role_not_allowed", null, PatientZhang, "complaint.already_exists"),
        new("RecordComplaintInvestigation", On(new { complaintId = "cp-none", findings = "x" }), PatientZhang, "complaint.role_not_allowed", null, QualityZhou, "complaint.not_found"),
        new("ReportComplaint", On(new { complaintId = "cp-none", authority = "x", reportRef = "x" }), PatientZhang, "complaint.role_not_allowed", null, QualityZhou, "complaint.not_found"),
        new("CloseComplaint", async api =>
            {
                var id = WriteApi.NewId("cp");
                await api.AcceptedAsync(PatientZhang, "LodgeComplaint", new { complaintId = id, patientId = PatientZhang.Id, practitionerId = DrLi.Id, consultationId = "c-zhang-htn", text = "x" });
                return new { complaintId = id, upheld = false, resolution = "x" };
            }, DrLi, "complaint.role_not_allowed", null, QualityZhou, "complaint.not_investigated"),

        new("ReviewBreakGlass", On(new { accessId = "acc-none", justified = true, note = "x" }), DrLi, "access.reviewer_not_allowed", null, QualityZhou, "record_access.not_found"),
        new("PurgeRecord", On(new { kind = "PRESCRIPTION", recordId = "rx-none", reason = "x" }), QualityZhou, "purge.role_not_allowed", null, Administrator, "prescription.not_found"),
    ];

    [Fact]
    public void Every_command_has_a_row()
    {
        var commands = CommandCatalog.Offered.Select(c => c.Name).Except(OpenToEveryRole).Order().ToList();
        var rows = Rows.Select(r => r.Command).ToList();
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.True(commands.Except(rows).ToList() is [], $"Commands without a row: {string.Join(", ", commands.Except(rows))}");
        Assert.True(rows.Except(commands).ToList() is [], $"Rows for commands the domain no longer has: {string.Join(", ", rows.Except(commands))}");
    }

    [Fact]
    public async Task A_caller_who_may_not_act_is_refused_for_their_role_not_for_the_records_state()
    {
        var failures = new List<string>();
        foreach (var row in Rows)
        {
            var input = await row.Target(_api);
            var refused = await ErrorAsync(row.Refused, row.Command, input);
            var rule = refused?.GetProperty("rule") is { ValueKind: JsonValueKind.Object } r ? r.GetProperty("id").GetString() : null;
            if (refused?.GetProperty("code").GetString() != row.Code || rule != row.Rule)
                failures.Add($"{row.Command} as {row.Refused.Role}: expected {row.Code} (rule {row.Rule ?? "none"}), got {refused?.ToString() ?? "accepted"}");

            if (row.Allowed is null) continue;
            var allowed = await ErrorAsync(row.Allowed, row.Command, input);
            if (allowed?.GetProperty("code").GetString() != row.StateCode)
                failures.Add($"{row.Command} as {row.Allowed.Role} (the record's state refuses): expected {row.StateCode}, got {allowed?.ToString() ?? "accepted"}");
        }

        Assert.True(failures is [], "Rows that do not hold:\n" + string.Join("\n", failures));
    }

    /// <summary>The payload's error of <paramref name="command"/> sent by <paramref name="actor"/>, or null when it was accepted.</summary>
    private async Task<JsonElement?> ErrorAsync(Actor actor, string command, object input)
    {
        var error = (await _api.MutateAsync(actor, command, input)).GetProperty("error");
        return error.ValueKind == JsonValueKind.Object ? error : null;
    }
}
