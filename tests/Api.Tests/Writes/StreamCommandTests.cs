using System.Text.Json;
using Records.Domain;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consent;
using Records.Domain.Serialization;

namespace Records.Api.Tests.Writes;

/// <summary>
/// Every command of every stream accepted through the API, in a lifecycle the domain allows: proof that the
/// host loads the facts each decision needs (the actor's practitioner record, the patient, consents,
/// signatures). One test per stream; each step is an HTTP request.
/// </summary>
public sealed class StreamCommandTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>, IAsyncLifetime
{
    private static readonly Actor Quality = new("qm-w", Role.QualityManager, true);

    private readonly WriteApi _api = new(host);

    public async Task InitializeAsync() => await _api.InstitutionAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static long LastVersion(JsonElement payload)
    {
        var events = payload.GetProperty("events");
        return events[events.GetArrayLength() - 1].GetProperty("version").GetInt64();
    }

    [Fact]
    public async Task Institution_registered_subjects_approved_terms_published_and_connected()
    {
        var id = WriteApi.NewId("ih");
        await _api.AcceptedAsync(WriteApi.Admin, "RegisterInstitution", new
        {
            institutionId = id, name = "二号互联网医院", licenceNumber = "LIC-2", physicalInstitution = "二号人民医院", provinceCode = "640000", subjects = new[] { "内科" },
        });
        await _api.AcceptedAsync(WriteApi.Admin, "ApproveSubjects", new { institutionId = id, subjects = new[] { "内科", "儿科" } });
        await _api.AcceptedAsync(WriteApi.Admin, "PublishServiceTerms", new
        {
            institutionId = id, replyLimit = "PT30M", fees = new object[] { new { service = "图文复诊", amountFen = "2000" }, new { service = "视频复诊", amountFen = 5000 } },
        });
        var connected = await _api.AcceptedAsync(WriteApi.Admin, "ConnectToPlatform", new { institutionId = id, platformCode = "PLATFORM-64" },
            "institution { registered subjects replyLimit fees { service amountFen } platformCode }");

        var state = connected.GetProperty("institution");
        Assert.Equal("PT30M", state.GetProperty("replyLimit").GetString());
        Assert.Equal("5000", state.GetProperty("fees")[1].GetProperty("amountFen").GetString());
        Assert.Equal(new HashSet<string?> { "内科", "儿科" }, state.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()).ToHashSet());
        Assert.Equal("PLATFORM-64", state.GetProperty("platformCode").GetString());
    }

    [Fact]
    public async Task Practitioner_through_enrolment_verification_points_suspension_and_keys()
    {
        var doctor = await _api.PractitionerAsync("Physician", "内科"); // registered, enrolled, trained, signing key registered
        var id = new { practitionerId = doctor.Id };

        await _api.AcceptedAsync(doctor, "VerifyRealName", new { id.practitionerId, consultationId = "c-any", method = "人脸识别" });
        await _api.AcceptedAsync(Quality, "RecordBadPracticePoints", new { id.practitionerId, points = 2, reason = "超时未回复" });
        await _api.AcceptedAsync(Quality, "Suspend", new { id.practitionerId, reason = "调查中" });
        await _api.AcceptedAsync(Quality, "Reinstate", new { id.practitionerId, reason = "调查结束" });
        await _api.AcceptedAsync(WriteApi.Admin, "EndEnrolment", new { id.practitionerId, institutionId = RecordsHostFixture.InstitutionId, reason = "调离" });
        var key = (JsonElement)JsonSerializer.SerializeToElement(_api.SigningKeyOf(doctor), JsonSerializerOptions.Web);
        var revoked = await _api.AcceptedAsync(doctor, "RevokeSigningKey", new { id.practitionerId, fingerprint = key.GetProperty("fingerprint").GetString(), reason = "设备丢失" },
            "practitioner { suspended badPracticePoints verifiedForConsultations enrolments { key } keys { revokedAt key { fingerprint algorithm validFrom } } trainings { course completedOn } }");

        var state = revoked.GetProperty("practitioner");
        Assert.False(state.GetProperty("suspended").GetBoolean());
        Assert.Equal(2, state.GetProperty("badPracticePoints").GetInt32());
        Assert.Equal("c-any", state.GetProperty("verifiedForConsultations")[0].GetString());
        Assert.Equal(0, state.GetProperty("enrolments").GetArrayLength());
        Assert.Equal("ECDSA_P256_WITH_SHA256", state.GetProperty("keys")[0].GetProperty("key").GetProperty("algorithm").GetString());
        Assert.Equal("2025-01-01T00:00:00Z", state.GetProperty("keys")[0].GetProperty("key").GetProperty("validFrom").GetString());
        Assert.NotEqual(JsonValueKind.Null, state.GetProperty("keys")[0].GetProperty("revokedAt").ValueKind);
        Assert.Equal("2026-01-15", state.GetProperty("trainings")[0].GetProperty("completedOn").GetString());
    }

    [Fact]
    public async Task Patient_registered_with_guardian_contact_and_signing_key()
    {
        var mother = await _api.PatientAsync("1994-02-09");
        var child = await _api.PatientAsync(DateTime.UtcNow.AddYears(-4).ToString("yyyy-MM-dd"));

        await _api.AcceptedAsync(WriteApi.Admin, "AssignGuardian", new { patientId = child.Id, guardian = new { guardianId = mother.Id, name = "王芳", relationship = "母亲" } });
        await _api.AcceptedAsync(mother, "ChangeContact", new { patientId = child.Id, contact = "+86 139 1111 2222" });
        var keyed = await _api.AcceptedAsync(mother, "RegisterPatientSigningKey", new { patientId = mother.Id, key = _api.SigningKeyOf(mother) },
            "patient { registered sex dateOfBirth keys { key { fingerprint } } }");

        Assert.Equal("FEMALE", keyed.GetProperty("patient").GetProperty("sex").GetString());
        Assert.Equal("1994-02-09", keyed.GetProperty("patient").GetProperty("dateOfBirth").GetString());
        Assert.Equal(1, keyed.GetProperty("patient").GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public async Task Consent_granted_then_withdrawn()
    {
        var patient = await _api.PatientAsync();

        var granted = await _api.AcceptedAsync(patient, "GrantConsent", new
        {
            patientId = patient.Id, scope = "DATA_SHARING", formVersion = "v1", formTextHash = WriteApi.Hash("数据共享同意书"),
        });
        var withdrawn = await _api.AcceptedAsync(patient, "WithdrawConsent", new { consentId = granted.GetProperty("recordId").GetString(), reason = "不再同意" },
            "consent { status scope }");

        Assert.Equal("WITHDRAWN", withdrawn.GetProperty("consent").GetProperty("status").GetString());
        Assert.Equal("DATA_SHARING", withdrawn.GetProperty("consent").GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Consultation_of_a_child_through_messages_ai_risk_diagnosis_and_completion()
    {
        var doctor = await _api.PractitionerAsync("Physician", "内科");
        var mother = await _api.PatientAsync("1994-02-09");
        var child = await _api.PatientAsync(DateTime.UtcNow.AddYears(-4).ToString("yyyy-MM-dd"));
        await _api.AcceptedAsync(WriteApi.Admin, "AssignGuardian", new { patientId = child.Id, guardian = new { guardianId = mother.Id, name = "王芳", relationship = "母亲" } });
        var visit = WriteApi.NewId("c");
        await _api.AcceptedAsync(mother, "RequestConsultation", new
        {
            consultationId = visit, patientId = child.Id, kind = "ONLINE_FOLLOW_UP", subject = "内科", complaint = "哮喘复诊", firstVisit = false,
        });
        await _api.AcceptedAsync(doctor, "VerifyRealName", new { practitionerId = doctor.Id, consultationId = visit, method = "人脸识别" });
        await _api.AcceptedAsync(doctor, "AcceptConsultation", new { consultationId = visit });
        await _api.AcceptedAsync(mother, "AttachOfflineEvidence", new
        {
            consultationId = visit, kind = "DIAGNOSIS_CERTIFICATE", documentRef = "HIS-DX-1", contentHash = WriteApi.Hash("诊断证明"), issuedBy = "总医院",
            diagnoses = new[] { new { icd10 = "J45", text = "支气管哮喘" } },
        });
        await _api.AcceptedAsync(doctor, "AttestChildSafeguards", new { consultationId = visit, guardianId = mother.Id, specialistId = doctor.Id });
        await _api.AcceptedAsync(mother, "PostMessage", new { consultationId = visit, messageId = "m-1", kind = "TEXT", text = "夜间咳嗽减少" });
        await _api.AcceptedAsync(doctor, "PostMessage", new
        {
            consultationId = visit, messageId = "m-2", kind = "IMAGE", contentRef = "oss://img/1", contentHash = WriteApi.Hash("图片"),
        });
        await _api.AcceptedAsync(doctor, "DeclareAiAssistance", new { consultationId = visit, tool = "影像辅助", purpose = "胸片初筛" });
        await _api.AcceptedAsync(doctor, "AssessRisk", new { consultationId = visit, level = "LOW", note = "稳定" });
        await _api.AcceptedAsync(doctor, "RecordDiagnosis", new { consultationId = visit, diagnosis = new { icd10 = "J45.0", text = "过敏性哮喘" } });
        var completed = await _api.AcceptedAsync(doctor, "CompleteConsultation", new { consultationId = visit, summary = "继续吸入治疗" },
            "consultation { status messages risk aiTools childSafeguardsAttested diagnoses { icd10 } evidence { kind diagnoses { icd10 } } evidencedCategories }");

        var state = completed.GetProperty("consultation");
        Assert.Equal("COMPLETED", state.GetProperty("status").GetString());
        Assert.Equal(2, state.GetProperty("messages").GetInt32());
        Assert.Equal("LOW", state.GetProperty("risk").GetString());
        Assert.True(state.GetProperty("childSafeguardsAttested").GetBoolean());
        Assert.Equal("J45.0", state.GetProperty("diagnoses")[0].GetProperty("icd10").GetString());
        Assert.Equal("J45", state.GetProperty("evidencedCategories")[0].GetString());
    }

    [Fact]
    public async Task Consultation_whose_condition_changed_is_terminated_and_referred()
    {
        var doctor = await _api.PractitionerAsync("Physician", "内科");
        var patient = await _api.PatientAsync();
        var visit = await _api.OpenFollowUpAsync(patient, doctor);

        await _api.AcceptedAsync(doctor, "FlagConditionChange", new { consultationId = visit, note = "胸痛加重", judgedFirstVisit = false });
        var terminated = await _api.AcceptedAsync(doctor, "TerminateAndRefer", new { consultationId = visit, reason = "需线下就诊", referredTo = "测试人民医院急诊" },
            "consultation { status }");

        Assert.Equal("TERMINATED", terminated.GetProperty("consultation").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Remote_consultation_completes_with_the_report_signed_by_the_diagnosing_doctor()
    {
        var doctor = await _api.PractitionerAsync("Physician", "内科");
        var patient = await _api.PatientAsync();
        await _api.AcceptedAsync(patient, "RegisterPatientSigningKey", new { patientId = patient.Id, key = _api.SigningKeyOf(patient) });
        var visit = WriteApi.NewId("c");
        var consentId = WriteApi.NewId("cs");
        var terms = new ConsentTerms(consentId, patient.Id, ConsentScope.RemoteConsultation, "v2", WriteApi.Hash("远程会诊同意书"), visit);
        var consentSignature = await _api.SignAsync(patient, "consent", consentId, 1, CanonicalHash.Of(terms));
        await _api.AcceptedAsync(patient, "GrantConsent", new
        {
            consentId, patientId = patient.Id, scope = "REMOTE_CONSULTATION", formVersion = terms.FormVersion, formTextHash = terms.FormTextHash,
            consultationId = visit, signatureId = consentSignature,
        });
        await _api.AcceptedAsync(doctor, "RequestConsultation", new
        {
            consultationId = visit, patientId = patient.Id, kind = "REMOTE_CONSULTATION", subject = "内科", complaint = "糖尿病会诊", firstVisit = false,
        });
        await _api.AcceptedAsync(doctor, "VerifyRealName", new { practitionerId = doctor.Id, consultationId = visit, method = "人脸识别" });
        var accepted = await _api.AcceptedAsync(doctor, "AcceptConsultation", new { consultationId = visit });
        var report = WriteApi.Hash("会诊报告");
        var reportSignature = await _api.SignAsync(doctor, "consultation", visit, LastVersion(accepted), report);

        var completed = await _api.AcceptedAsync(doctor, "CompleteConsultation",
            new { consultationId = visit, summary = "会诊完成", report = new { reportHash = report, signatureId = reportSignature } },
            "consultation { status reportSignatureId }");

        Assert.Equal("COMPLETED", completed.GetProperty("consultation").GetProperty("status").GetString());
        Assert.Equal(reportSignature, completed.GetProperty("consultation").GetProperty("reportSignatureId").GetString());
        Assert.Equal(["consultation.report_signed.v1", "consultation.completed.v1"],
            completed.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("eventType").GetString()));
    }

    /// <summary>A drafted prescription of a fresh follow-up: its id, its signing hash, and its prescriber.</summary>
    private async Task<(string Id, string Hash, Actor Doctor)> DraftedPrescriptionAsync()
    {
        var doctor = await _api.PractitionerAsync("Physician", "内科");
        var patient = await _api.PatientAsync();
        var visit = await _api.OpenFollowUpAsync(patient, doctor);
        await _api.AcceptedAsync(patient, "AttachOfflineEvidence", new
        {
            consultationId = visit, kind = "OUTPATIENT_RECORD", documentRef = "HIS-OP-2", contentHash = WriteApi.Hash("门诊病历"), issuedBy = "测试人民医院",
            diagnoses = new[] { new { icd10 = "I10", text = "原发性高血压" } },
        });
        var drafted = await _api.AcceptedAsync(doctor, "DraftPrescription", new
        {
            consultationId = visit, diagnoses = new[] { new { icd10 = "I10", text = "原发性高血压" } },
            lines = new[] { new { drug = "氨氯地平片", @class = "ORDINARY", form = "片剂", strength = "5mg", quantity = 7.5, unit = "片", dosage = "每日一次", daysSupply = 7 } },
            emergency = false,
        }, "prescription { signingHash }");
        return (drafted.GetProperty("recordId").GetString()!, drafted.GetProperty("prescription").GetProperty("signingHash").GetString()!, doctor);
    }

    /// <summary>A signed prescription of a fresh follow-up: its id, its signing hash, and its prescriber.</summary>
    private async Task<(string Id, string Hash, Actor Doctor)> SignedPrescriptionAsync()
    {
        var (id, hash, doctor) = await DraftedPrescriptionAsync();
        var signature = await _api.SignAsync(doctor, "prescription", id, 1, hash);
        await _api.AcceptedAsync(doctor, "SignPrescription", new { prescriptionId = id, signatureId = signature });
        return (id, hash, doctor);
    }

    [Fact]
    public async Task Drugs_are_not_selected_nor_paid_before_the_prescription_is_signed()
    {
        var (id, _, _) = await DraftedPrescriptionAsync();
        var pharmacist = await _api.PractitionerAsync("Pharmacist", "药学");

        var selecting = await _api.RefusedAsync(pharmacist, "SelectDrugs", new { prescriptionId = id, pharmacyId = "pharmacy-01" }, "prescription.not_signed");
        await _api.RefusedAsync(pharmacist, "TakePayment", new { prescriptionId = id, amount = "35.50", paymentRef = "PAY-0" }, "prescription.not_signed");

        Assert.Equal(Records.Domain.Rules.RuleIds.NoDrugBeforePrescription, selecting.GetProperty("rule").GetProperty("id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(selecting.GetProperty("rule").GetProperty("source").GetString()));
    }

    [Fact]
    public async Task Prescription_from_approval_through_drugs_payment_hand_off_dispensing_and_delivery()
    {
        var (id, hash, doctor) = await SignedPrescriptionAsync();
        var pharmacist = await _api.PractitionerAsync("Pharmacist", "药学");
        var rx = new { prescriptionId = id };

        await _api.AcceptedAsync(doctor, "ExtendValidity", new { rx.prescriptionId, totalDays = 3, reason = "患者行动不便" });
        var signature = await _api.SignAsync(pharmacist, "prescription", id, 1, hash);
        await _api.AcceptedAsync(pharmacist, "ApprovePrescription", new { rx.prescriptionId, signatureId = signature });
        await _api.AcceptedAsync(pharmacist, "SelectDrugs", new { rx.prescriptionId, pharmacyId = "pharmacy-01" });
        await _api.AcceptedAsync(pharmacist, "TakePayment", new { rx.prescriptionId, amount = "35.50", paymentRef = "PAY-1" });
        await _api.AcceptedAsync(pharmacist, "HandOffPrescription", new { rx.prescriptionId, pharmacyId = "pharmacy-01" });
        await _api.AcceptedAsync(pharmacist, "DispensePrescription", rx);
        var delivered = await _api.AcceptedAsync(pharmacist, "DeliverPrescription", new { rx.prescriptionId, trackingRef = "SF123" },
            "prescription { status drugsSelectedAt paidAt writtenOn }");

        var state = delivered.GetProperty("prescription");
        Assert.Equal("DELIVERED", state.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, state.GetProperty("drugsSelectedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, state.GetProperty("paidAt").ValueKind);
    }

    [Fact]
    public async Task Prescription_rejected_another_cancelled_and_a_valid_one_not_expired()
    {
        var (rejectedId, _, _) = await SignedPrescriptionAsync();
        var (cancelledId, _, doctor) = await SignedPrescriptionAsync();
        var pharmacist = await _api.PractitionerAsync("Pharmacist", "药学");

        await _api.AcceptedAsync(pharmacist, "RejectPrescription", new { prescriptionId = rejectedId, reasons = new[] { "剂量需核对" } });
        await _api.AcceptedAsync(doctor, "CancelPrescription", new { prescriptionId = cancelledId, reason = "患者已有库存" });
        var (liveId, _, _) = await SignedPrescriptionAsync();

        // Expiry is the scheduler's, once the validity has passed: the domain decides it, on the facts loaded.
        await _api.RefusedAsync(pharmacist, "ExpirePrescription", new { prescriptionId = liveId }, "prescription.role_not_allowed");
        await _api.RefusedAsync(WriteApi.Admin, "ExpirePrescription", new { prescriptionId = liveId }, "prescription.still_valid");
    }

    [Fact]
    public async Task Purge_of_a_prescription_within_its_retention_period_is_refused_on_the_facts_the_host_found()
    {
        var (id, _, _) = await SignedPrescriptionAsync();

        var error = await _api.RefusedAsync(WriteApi.Admin, "PurgeRecord", new { kind = "PRESCRIPTION", recordId = id, reason = "到期销毁" },
            "purge.before_retention_period");

        Assert.Contains(DateTime.UtcNow.AddHours(8).AddYears(1).ToString("yyyy-MM-dd"), error.GetProperty("message").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("rule").GetProperty("source").GetString()));
    }

    [Fact]
    public async Task Documents_created_amended_signed_archived_sealed_with_a_later_part_and_unsealed()
    {
        var doctor = await _api.PractitionerAsync("Physician", "内科");
        var patient = await _api.PatientAsync();
        await _api.AcceptedAsync(patient, "RegisterPatientSigningKey", new { patientId = patient.Id, key = _api.SigningKeyOf(patient) });

        var record = WriteApi.NewId("doc");
        await _api.AcceptedAsync(doctor, "CreateDocument", new
        {
            documentId = record, patientId = patient.Id, kind = "OUTPATIENT_RECORD", title = "门诊病历", contentHash = WriteApi.Hash("v1"),
            encounterEndedAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        });
        var amended = await _api.AcceptedAsync(doctor, "AmendDocument", new { documentId = record, contentHash = WriteApi.Hash("v2"), reason = "补充过敏史" });
        await SignDocumentAsync(doctor, record, 2, WriteApi.Hash("v2"), LastVersion(amended));
        var archived = await _api.AcceptedAsync(doctor, "ArchiveDocument", new { documentId = record },
            "clinicalDocument { archived current { version replaces signatureId } versions { version } }");
        var state = archived.GetProperty("clinicalDocument");
        Assert.True(state.GetProperty("archived").GetBoolean());
        Assert.Equal(1, state.GetProperty("current").GetProperty("replaces").GetInt32());

        var disputed = WriteApi.NewId("doc");
        var created = await _api.AcceptedAsync(doctor, "CreateDocument", new
        {
            documentId = disputed, patientId = patient.Id, kind = "CONSULTATION_NOTE", title = "复诊记录", contentHash = WriteApi.Hash("note"),
            encounterEndedAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        });
        var signed = await SignDocumentAsync(doctor, disputed, 1, WriteApi.Hash("note"), LastVersion(created));
        var sealingList = WriteApi.Hash("封存清单");
        var hospitalSide = await _api.SignAsync(doctor, "document", disputed, LastVersion(signed), sealingList);
        var patientSide = await _api.SignAsync(patient, "document", disputed, LastVersion(signed), sealingList);
        await _api.AcceptedAsync(Quality, "SealDocument", new
        {
            documentId = disputed, disputeRef = "DSP-1", sealingListHash = sealingList, institutionSignatureId = hospitalSide, patientSideSignatureId = patientSide,
        });
        await _api.AcceptedAsync(doctor, "SealCompletedPart", new { documentId = disputed, contentHash = WriteApi.Hash("后续部分"), description = "会诊意见" });
        var unsealed = await _api.AcceptedAsync(Quality, "UnsealDocument", new { documentId = disputed, ground = "DISPUTE_RESOLVED", resolutionRef = "调解书-1" },
            "clinicalDocument { sealed sealedParts }");

        Assert.False(unsealed.GetProperty("clinicalDocument").GetProperty("sealed").GetBoolean());
        Assert.Equal(1, unsealed.GetProperty("clinicalDocument").GetProperty("sealedParts").GetArrayLength());
    }

    private async Task<JsonElement> SignDocumentAsync(Actor doctor, string documentId, int version, string contentHash, long streamVersion)
    {
        var hash = CanonicalHash.Of(new SignedDocumentVersion(documentId, version, contentHash));
        var signature = await _api.SignAsync(doctor, "document", documentId, streamVersion, hash);
        return await _api.AcceptedAsync(doctor, "SignDocument", new { documentId, signatureId = signature });
    }

    [Fact]
    public async Task Adverse_event_recorded_reported_investigated_and_closed()
    {
        var pharmacist = await _api.PractitionerAsync("Pharmacist", "药学");
        var patient = await _api.PatientAsync();

        var recorded = await _api.AcceptedAsync(pharmacist, "RecordAdverseEvent", new
        {
            patientId = patient.Id, category = "ADVERSE_DRUG_REACTION", severity = "MODERATE", description = "踝部水肿",
            occurredAt = DateTime.UtcNow.AddHours(-3).ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
        });
        var ae = new { adverseEventId = recorded.GetProperty("recordId").GetString() };
        await _api.AcceptedAsync(pharmacist, "ReportAdverseEvent", new { ae.adverseEventId, authority = "药品不良反应监测中心", reportRef = "ADR-1" });
        await _api.AcceptedAsync(Quality, "RecordAdverseEventInvestigation", new { ae.adverseEventId, findings = "与药物相关" });
        var closed = await _api.AcceptedAsync(Quality, "CloseAdverseEvent", new { ae.adverseEventId, outcome = "停药后缓解" }, "adverseEvent { status category }");

        Assert.Equal("CLOSED", closed.GetProperty("adverseEvent").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Complaint_lodged_reported_investigated_and_closed()
    {
        var doctor = await _api.PractitionerAsync("Physician", "内科");
        var patient = await _api.PatientAsync();

        var lodged = await _api.AcceptedAsync(patient, "LodgeComplaint", new { patientId = patient.Id, practitionerId = doctor.Id, text = "回复太慢" });
        var complaint = new { complaintId = lodged.GetProperty("recordId").GetString() };
        await _api.AcceptedAsync(Quality, "ReportComplaint", new { complaint.complaintId, authority = "卫健委", reportRef = "CMP-1" });
        await _api.AcceptedAsync(Quality, "RecordComplaintInvestigation", new { complaint.complaintId, findings = "属实" });
        var closed = await _api.AcceptedAsync(Quality, "CloseComplaint", new { complaint.complaintId, upheld = true, resolution = "已道歉" }, "complaint { status }");

        Assert.Equal("CLOSED", closed.GetProperty("complaint").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Record_access_break_glass_read_then_reviewed()
    {
        var nurse = await _api.PractitionerAsync("Nurse", "护理");
        var patient = await _api.PatientAsync();

        // The read is recorded by the audited reads themselves (no client writes the access log): a nurse reads with a break-glass reason.
        var (status, body) = await _api.PostAsync(nurse, """query($id: ID!) { patientRecord(patientId: $id, purpose: EMERGENCY, reason: "夜班急诊") { patientId } }""",
            new { id = patient.Id });
        Assert.True(status == System.Net.HttpStatusCode.OK && !body.TryGetProperty("errors", out _), body.ToString());
        (_, body) = await _api.PostAsync(patient, "{ myAccessLog { accessId readerId breakGlass } }");
        var read = body.GetProperty("data").GetProperty("myAccessLog").EnumerateArray().Single(r => r.GetProperty("readerId").GetString() == nurse.Id);
        Assert.True(read.GetProperty("breakGlass").GetBoolean());

        var reviewed = await _api.AcceptedAsync(Quality, "ReviewBreakGlass", new { accessId = read.GetProperty("accessId").GetString(), justified = true, note = "合理" },
            "recordAccess { reviewed }");

        Assert.True(reviewed.GetProperty("recordAccess").GetProperty("reviewed").GetBoolean());
    }
}
