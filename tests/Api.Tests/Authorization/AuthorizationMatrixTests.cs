using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Demo;
using Records.Api.Identity;
using Records.Api.Schema;
using Records.Domain;

namespace Records.Api.Tests.Authorization;

/// <summary>
/// Every role (and anonymous) against every root field of the records schema, on the demo hospital,
/// with the expected outcome written in <see cref="Matrix"/>. A field without a row fails
/// <see cref="Every_root_field_has_a_row"/>: whoever adds a field adds its row.
/// </summary>
/// <summary>The demo hospital, without rate limits (the matrix sends hundreds of requests as each persona).</summary>
public sealed class MatrixHostFixture : RecordsHostFixture
{
    protected override IEnumerable<string> MoreSettings => ["--Records:Demo:Skip=false", "--Records:Demo:Load=true", "--Records:Limits:Burst=0", "--Records:Limits:AnonymousBurst=0"];
}

public sealed class AuthorizationMatrixTests(MatrixHostFixture host) : IClassFixture<MatrixHostFixture>
{
    /// <summary>What a role gets from a field.</summary>
    public abstract record Expect;

    /// <summary>
    /// The field answers: not refused for who asks. A mutation may still be refused by the domain for another reason
    /// (its target's state, a missing signature); then the refusal leaks nothing and is recorded, as every refusal.
    /// </summary>
    public sealed record Allowed : Expect;

    /// <summary>A GraphQL error (or the payload's error) with this code, no data, and the attempt in the event log.</summary>
    public sealed record Refused(string Code) : Expect;

    /// <summary>
    /// How a root field is called: its arguments as written after the field's name, or for a mutation its
    /// <c>input</c> (a fresh clientMutationId is added); and the steps that make its target first. The selection is
    /// every field of the answer's type (see <see cref="Everything"/>), so a leak shows.
    /// </summary>
    public sealed record Probe(string Arguments = "", object? Input = null, IReadOnlyList<Step>? Before = null);

    /// <summary>A mutation that must be accepted before the probe, sent by <paramref name="As"/>.</summary>
    public sealed record Step(Actor As, string Mutation, object Input);

    /// <summary>A root field ("Query.me"), how to call it, and one outcome per role in the order of <see cref="Roles"/>.</summary>
    public sealed record Row(string Field, Func<Probe> Probe, params Expect[] Cells);

    /// <summary>The columns of the matrix: one demo persona per role.</summary>
    private static readonly (Role Role, Actor Persona)[] Roles =
    [
        (Role.Patient, DemoPersonas.PatientZhang),
        (Role.Physician, DemoPersonas.DrLi),
        (Role.Pharmacist, DemoPersonas.PharmacistLiu),
        (Role.Nurse, DemoPersonas.NurseSun),
        (Role.QualityManager, DemoPersonas.QualityZhou),
        (Role.Regulator, DemoPersonas.Regulator),
        (Role.Legal, DemoPersonas.LegalHe),
        (Role.Integrator, DemoPersonas.PharmacyIntegrator),
        (Role.Administrator, DemoPersonas.Administrator),
    ];

    private static readonly Allowed A = new();

    private static Refused R(string code) => new(code);

    /// <summary>The cells of a field only <paramref name="allowed"/> may call: the others are refused with <paramref name="refusal"/>.</summary>
    private static Expect[] Only(string refusal, params Role[] allowed) => Roles.Select(r => allowed.Contains(r.Role) ? A : (Expect)R(refusal)).ToArray();

    private static Expect[] Anyone => Roles.Select(_ => (Expect)A).ToArray();

    private const Role Pat = Role.Patient, Phy = Role.Physician, Pha = Role.Pharmacist, Nur = Role.Nurse, Qm = Role.QualityManager, Int = Role.Integrator, Adm = Role.Administrator;

    private static readonly Actor Patient = DemoPersonas.PatientZhang, Doctor = DemoPersonas.DrLi;

    private static string New(string prefix) => $"{prefix}-matrix-{Guid.NewGuid():N}"[..40];

    private static readonly string Hash = new('a', 64);

    private static string Now => NodaTime.SystemClock.Instance.GetCurrentInstant().ToString();

    /// <summary>A consultation of Zhang's with Dr Li, requested, the doctor's real name verified, accepted: in progress.</summary>
    private static Step[] VisitInProgress(string id) =>
    [
        new(Patient, "requestConsultation", new { consultationId = id, patientId = Patient.Id, kind = "ONLINE_FOLLOW_UP", subject = "心血管内科", complaint = "matrix", firstVisit = false }),
        new(Doctor, "verifyRealName", new { practitionerId = Doctor.Id, consultationId = id, method = "人脸识别" }),
        new(Doctor, "acceptConsultation", new { consultationId = id }),
    ];

    private static Probe OnVisit(Func<string, object> input)
    {
        var id = New("c");
        return new(Input: input(id), Before: VisitInProgress(id));
    }

    /// <summary>A new adverse event of Zhang's recorded by a pharmacist, then the <paramref name="more"/> steps on it.</summary>
    private static Probe OnAdverseEvent(Func<string, object> input, Func<string, Step[]>? more = null)
    {
        var id = New("ae");
        return new(Input: input(id), Before:
        [
            new(DemoPersonas.PharmacistLiu, "recordAdverseEvent", new { adverseEventId = id, patientId = Patient.Id, category = "ADVERSE_DRUG_REACTION", severity = "MILD", description = "matrix", occurredAt = Now }),
            .. more?.Invoke(id) ?? [],
        ]);
    }

    private static Probe OnComplaint(Func<string, object> input)
    {
        var id = New("cp");
        return new(Input: input(id), Before:
            [new(Patient, "lodgeComplaint", new { complaintId = id, patientId = Patient.Id, practitionerId = Doctor.Id, consultationId = "c-zhang-htn", text = "matrix" })]);
    }

    private static object SigningKey => new { fingerprint = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), algorithm = "ECDSA_P256_WITH_SHA256", publicKey = "AAAA", validFrom = Now };

    private static readonly object[] Diagnoses = [new { icd10 = "I10", text = "原发性高血压" }];

    private const string NotReader = "access.role_not_allowed";
    private const string Document = "document.role_not_allowed", Complaint = "complaint.role_not_allowed", Consultation = "consultation.role_not_allowed";
    private const string NotTheDoctor = "consultation.not_the_doctor", Institution = "institution.role_not_allowed", PatientStream = "patient.role_not_allowed";
    private const string Practitioner = "practitioner.role_not_allowed", NotVisitDoctor = "prescription.not_visit_doctor", PrescriptionRole = "prescription.role_not_allowed";
    private const string NotPharmacist = "prescription.reviewer_not_pharmacist";
    private const string Prescriber = "prescription.reviewer_is_prescriber";
    private const string UnknownWebhook = "feeds.unknown_webhook";
    private const string NoWebhook = "00000000-0000-0000-0000-000000000000";
    private static readonly Refused F = new("feeds.forbidden");

    /// <summary>
    /// The matrix. Every refusal runs first, in table order, on the demo hospital as loaded; then every allowance
    /// (which may change its target). A target a command cannot act on whoever asks is made fresh by the probe's steps.
    /// </summary>
    public static readonly Row[] Matrix =
    [
        new("Query.me", () => new(), Anyone),
        new("Query.patientRecord", () => new("""(patientId: "pt-zhang", purpose: TREATMENT, reason: "authorization matrix")"""),
            A, A, A, A, A, A, A, R(NotReader), R(NotReader)),
        // The read side (src/Api/Schema/*Queries.cs): clinicians without a care relationship give a break-glass reason, so every reader the gate admits reads.
        new("Query.patientHistory", () => new("""(patientId: "pt-zhang", first: 3, reason: "authorization matrix")"""),
                                                              A,         A,          A,         A,             A,             R(NotReader),  A,             R(NotReader),  R(NotReader)),
        new("Query.myPatients", () => new("(first: 5)"),       R(NotReader), A,       A,         A,             R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.consultation", () => new("""(consultationId: "c-zhang-htn", reason: "authorization matrix")"""),
                                                              A,         A,          A,         A,             A,             R(NotReader),  A,             R(NotReader),  R(NotReader)),
        new("Query.prescriptionsToReview", () => new("(first: 5)"),
                                                              R(NotReader), R(NotReader), A,    R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.document", () => new("""(documentId: "doc-zhang-op", reason: "authorization matrix")"""),
                                                              A,         A,          A,         A,             A,             R(NotReader),  A,             R(NotReader),  R(NotReader)),
        new("Query.findings", () => new(),                     R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.findingCounts", () => new(),                R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.practitionerRegister", () => new(),         R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.adverseEvents", () => new(),                R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             R(NotReader),  R(NotReader),  R(NotReader)),
        new("Query.trace", () => new("""(prescriptionId: "rx-delivered", reason: "authorization matrix")"""),
                                                              R(NotReader), R(NotReader), R(NotReader), R(NotReader), A,          A,             A,             R(NotReader),  R(NotReader)),
        new("Query.recordAsOf", () => new("""(patientId: "pt-zhang", at: "2030-01-01T00:00:00Z", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        new("Query.documentAsOf", () => new("""(documentId: "doc-zhang-op", at: "2030-01-01T00:00:00Z", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        // A regulator reads a record's history inside a case (it names the patient).
        new("Query.recordHistory", () => new("""(recordType: "document", recordId: "doc-zhang-op", case: "NX-matrix", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        new("Query.accessHistory", () => new("""(patientId: "pt-zhang", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        new("Query.seals", () => new("""(documentId: "doc-zhang-note", reason: "authorization matrix")"""),
                                                              A,         R(NotReader), R(NotReader), R(NotReader), A,             A,             A,             R(NotReader),  R(NotReader)),
        new("Query.myAccessLog", () => new(),                  A,         R(NotReader), R(NotReader), R(NotReader), R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader),  R(NotReader)),

        new("Mutation.recordAdverseEvent", () => new(Input: new { patientId = Patient.Id, category = "ADVERSE_DRUG_REACTION", severity = "MILD", description = "matrix", occurredAt = Now }), Only("adverse_event.role_not_allowed", Phy, Pha, Nur, Qm, Adm)),
        new("Mutation.recordAdverseEventInvestigation", () => OnAdverseEvent(id => new { adverseEventId = id, findings = "matrix" }), Only("adverse_event.role_not_allowed", Qm, Adm)),
        new("Mutation.reportAdverseEvent", () => OnAdverseEvent(id => new { adverseEventId = id, authority = "matrix", reportRef = "M-1" }), Only("adverse_event.role_not_allowed", Phy, Pha, Nur, Qm, Adm)),
        new("Mutation.closeAdverseEvent", () => OnAdverseEvent(id => new { adverseEventId = id, outcome = "matrix" }, id =>
            [
                new(DemoPersonas.PharmacistLiu, "reportAdverseEvent", new { adverseEventId = id, authority = "matrix", reportRef = "M-1" }),
                new(DemoPersonas.QualityZhou, "recordAdverseEventInvestigation", new { adverseEventId = id, findings = "matrix" }),
            ]), Only("adverse_event.role_not_allowed", Qm, Adm)),

        new("Mutation.createDocument", () => new(Input: new { patientId = Patient.Id, consultationId = "c-zhang-htn", kind = "OUTPATIENT_RECORD", title = "matrix", contentHash = Hash, encounterEndedAt = Now }), Only(Document, Phy, Pha, Nur)),
        new("Mutation.amendDocument", () => new(Input: new { documentId = "doc-zhang-op", contentHash = Hash, reason = "matrix" }), Only(Document, Phy, Pha, Nur)),
        // A new version by its author first, so that the roles allowed reach the signature check (a signed version answers "already signed" to them).
        new("Mutation.signDocument", () => new(Input: new { documentId = "doc-zhang-op", signatureId = "sig-matrix-missing" },
            Before: [new(Doctor, "amendDocument", new { documentId = "doc-zhang-op", contentHash = Hash, reason = "matrix" })]), Only(Document, Phy, Pha, Nur)),
        new("Mutation.sealCompletedPart", () => new(Input: new { documentId = "doc-zhang-note", contentHash = Hash, description = "matrix" }), Only(Document, Phy, Pha, Nur)),
        new("Mutation.sealDocument", () => new(Input: new { documentId = "doc-zhang-op", disputeRef = "D-M", sealingListHash = Hash, institutionSignatureId = "sig-m-1", patientSideSignatureId = "sig-m-2" }), Only(Document, Qm, Adm)),
        new("Mutation.unsealDocument", () => new(Input: new { documentId = "doc-zhang-note", ground = "DISPUTE_RESOLVED", resolutionRef = "R-M" }), Only(Document, Qm, Adm)),
        new("Mutation.archiveDocument", () => new(Input: new { documentId = "doc-zhang-op" }), Only(Document, Phy, Nur, Qm, Adm)),

        new("Mutation.lodgeComplaint", () => new(Input: new { patientId = Patient.Id, practitionerId = Doctor.Id, consultationId = "c-zhang-htn", text = "matrix" }), Only(Complaint, Pat, Qm, Adm)),
        new("Mutation.recordComplaintInvestigation", () => OnComplaint(id => new { complaintId = id, findings = "matrix" }), Only(Complaint, Qm, Adm)),
        new("Mutation.reportComplaint", () => OnComplaint(id => new { complaintId = id, authority = "matrix", reportRef = "M-1" }), Only(Complaint, Qm, Adm)),
        new("Mutation.closeComplaint", () => OnComplaint(id => new { complaintId = id, upheld = false, resolution = "matrix" }), Only(Complaint, Qm, Adm)),

        new("Mutation.grantConsent", () => new(Input: new { patientId = Patient.Id, scope = "DATA_SHARING", formVersion = "v1", formTextHash = Hash }), Only("consent.grantor_not_patient_or_guardian", Pat)),
        new("Mutation.withdrawConsent", () =>
            {
                var id = New("cs");
                return new(Input: new { consentId = id, reason = "matrix" }, Before:
                    [new(Patient, "grantConsent", new { consentId = id, patientId = Patient.Id, scope = "DATA_SHARING", formVersion = "v1", formTextHash = Hash })]);
            }, Only("consent.grantor_not_patient_or_guardian", Pat)),

        new("Mutation.requestConsultation", () => new(Input: new { patientId = Patient.Id, kind = "ONLINE_FOLLOW_UP", subject = "心血管内科", complaint = "matrix", firstVisit = false }), Only(Consultation, Pat)),
        new("Mutation.acceptConsultation", () =>
            {
                var id = New("c");
                return new(Input: new { consultationId = id }, Before: VisitInProgress(id)[..2]);
            }, Only("practitioner.not_registered_here", Phy)),
        new("Mutation.attachOfflineEvidence", () => OnVisit(id => new { consultationId = id, kind = "OUTPATIENT_RECORD", documentRef = "HIS-M", contentHash = Hash, issuedBy = "matrix", diagnoses = Diagnoses }), Only(Consultation, Pat, Phy)),
        new("Mutation.postMessage", () => OnVisit(id => new { consultationId = id, messageId = "msg-m", kind = "TEXT", text = "matrix" }), Only(Consultation, Pat, Phy)),
        new("Mutation.declareAiAssistance", () => OnVisit(id => new { consultationId = id, tool = "matrix", purpose = "matrix" }), Only(NotTheDoctor, Phy)),
        new("Mutation.recordDiagnosis", () => OnVisit(id => new { consultationId = id, diagnosis = Diagnoses[0] }), Only(NotTheDoctor, Phy)),
        new("Mutation.assessRisk", () => OnVisit(id => new { consultationId = id, level = "LOW", note = "matrix" }), Only(NotTheDoctor, Phy)),
        new("Mutation.attestChildSafeguards", () => OnVisit(id => new { consultationId = id, guardianId = "gd-xiaoming", specialistId = "dr-wang" }), Only(NotTheDoctor, Phy)),
        new("Mutation.flagConditionChange", () => OnVisit(id => new { consultationId = id, note = "matrix", judgedFirstVisit = false }), Only(NotTheDoctor, Phy)),
        new("Mutation.terminateAndRefer", () => OnVisit(id => new { consultationId = id, reason = "matrix", referredTo = "matrix" }), Only(NotTheDoctor, Phy)),
        new("Mutation.completeConsultation", () => OnVisit(id => new { consultationId = id, summary = "matrix" }), Only(NotTheDoctor, Phy)),

        new("Mutation.registerInstitution", () => new(Input: new { name = "matrix", licenceNumber = "L-M", physicalInstitution = "matrix", provinceCode = "330000", subjects = new[] { "内科" } }), Only(Institution, Adm)),
        // The demo hospital's subjects again, so the visits the probes open stay within them.
        new("Mutation.approveSubjects", () => new(Input: new { institutionId = RecordsHostFixture.InstitutionId, subjects = new[] { "内科", "心血管内科", "内分泌科", "儿科" } }), Only(Institution, Adm)),
        new("Mutation.connectToPlatform", () => new(Input: new { institutionId = RecordsHostFixture.InstitutionId, platformCode = "P-M" }), Only(Institution, Adm)),
        new("Mutation.publishServiceTerms", () => new(Input: new { institutionId = RecordsHostFixture.InstitutionId, replyLimit = "PT30M", fees = new[] { new { service = "复诊", amountFen = 1000 } } }), Only(Institution, Adm)),

        new("Mutation.registerPatient", () => new(Input: new { name = "matrix", sex = "MALE", dateOfBirth = "1980-01-01", identityDocumentHash = Hash, contact = "+86 1" }), Only(PatientStream, Pat, Phy, Nur, Adm)),
        new("Mutation.changeContact", () => new(Input: new { patientId = Patient.Id, contact = "+86 138 0000 0000" }), Only(PatientStream, Pat, Phy, Nur, Adm)),
        new("Mutation.assignGuardian", () => new(Input: new { patientId = "pt-xiaoming", guardian = new { guardianId = "gd-matrix", name = "matrix", relationship = "父亲" } }), /* Zhang is not Xiaoming's patient nor guardian */ Only(PatientStream, Phy, Nur, Adm)),
        new("Mutation.registerPatientSigningKey", () => new(Input: new { patientId = Patient.Id, key = SigningKey }), Only(PatientStream, Pat, Adm)),

        new("Mutation.registerPractitioner", () => new(Input: new { name = "matrix", profession = "PHYSICIAN", title = "主治医师", grade = "INTERMEDIATE", nationalRegistryNumber = New("N"), practiceSince = "2010-01-01" }), Only(Practitioner, Adm)),
        new("Mutation.enrol", () => new(Input: new { practitionerId = "dr-zhao", institutionId = RecordsHostFixture.InstitutionId, kind = "FILED", scope = new[] { "内科" } }), Only(Practitioner, Qm, Adm)),
        new("Mutation.endEnrolment", () => new(Input: new { practitionerId = "dr-zhao", institutionId = RecordsHostFixture.InstitutionId, reason = "matrix" }), Only(Practitioner, Qm, Adm)),
        new("Mutation.verifyRealName", () => new(Input: new { practitionerId = Doctor.Id, consultationId = "c-zhang-htn", method = "人脸识别" }), Only(Practitioner, Phy)),
        new("Mutation.recordTraining", () => new(Input: new { practitionerId = Doctor.Id, course = "matrix", passed = true, completedOn = "2026-01-01" }), Only(Practitioner, Qm, Adm)),
        new("Mutation.recordBadPracticePoints", () => new(Input: new { practitionerId = "dr-zhao", points = 1, reason = "matrix" }), Only(Practitioner, Qm, Adm)),
        new("Mutation.suspend", () => new(Input: new { practitionerId = "dr-zhao", reason = "matrix" }), Only(Practitioner, Qm, Adm)),
        new("Mutation.reinstate", () => new(Input: new { practitionerId = "dr-zhao", reason = "matrix" }), Only(Practitioner, Qm, Adm)),
        new("Mutation.registerSigningKey", () => new(Input: new { practitionerId = Doctor.Id, key = SigningKey }), Only(Practitioner, Phy, Adm)),
        new("Mutation.revokeSigningKey", () => new(Input: new { practitionerId = Doctor.Id, fingerprint = Hash, reason = "matrix" }), Only(Practitioner, Phy, Adm)),

        new("Mutation.draftPrescription", () => OnVisit(id => new { consultationId = id, diagnoses = Diagnoses, emergency = false,
            lines = new[] { new { drug = "苯磺酸氨氯地平片", @class = "ORDINARY", form = "片剂", strength = "5mg", quantity = 7, unit = "片", dosage = "每日一次", daysSupply = 7 } } }), Only(NotVisitDoctor, Phy)),
        new("Mutation.signPrescription", () => new(Input: new { prescriptionId = "rx-draft", signatureId = "sig-matrix-missing" }), Only(NotVisitDoctor, Phy)),
        // A signature that does not exist: the pharmacist passes the role checks and is refused for the signature, so the prescription stays signed.
        new("Mutation.approvePrescription", () => new(Input: new { prescriptionId = "rx-awaiting-review", signatureId = "sig-matrix-missing" }),
            R(NotPharmacist), R(Prescriber), A, R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist)),
        new("Mutation.rejectPrescription", () => new(Input: new { prescriptionId = "rx-awaiting-review", reasons = new[] { "authorization matrix" } }),
            R(NotPharmacist), R(Prescriber), A, R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist), R(NotPharmacist)),
        new("Mutation.extendValidity", () => new(Input: new { prescriptionId = "rx-approved", totalDays = 5, reason = "matrix" }), Only(NotVisitDoctor, Phy)),
        new("Mutation.selectDrugs", () => new(Input: new { prescriptionId = "rx-approved", pharmacyId = "pharmacy-matrix" }), Only(PrescriptionRole, Pha, Int)),
        new("Mutation.takePayment", () => new(Input: new { prescriptionId = "rx-approved", amount = "10.50", paymentRef = "PAY-M" }), Only(PrescriptionRole, Pha, Int, Adm)),
        new("Mutation.handOffPrescription", () => new(Input: new { prescriptionId = "rx-approved", pharmacyId = "pharmacy-matrix" }), Only(PrescriptionRole, Pha, Int, Adm)),
        new("Mutation.dispensePrescription", () => new(Input: new { prescriptionId = "rx-handed-off" }), Only(PrescriptionRole, Pha, Int)),
        new("Mutation.deliverPrescription", () => new(Input: new { prescriptionId = "rx-dispensed", trackingRef = "SF-M" }), Only("prescription.role_not_allowed", Pha, Int, Adm)),
        new("Mutation.expirePrescription", () => new(Input: new { prescriptionId = "rx-approved" }), /* the scheduler's service account or an administrator */ Only("prescription.role_not_allowed", Adm)),
        new("Mutation.cancelPrescription", () => new(Input: new { prescriptionId = "rx-draft", reason = "matrix" }), /* the prescriber, a pharmacist or an administrator */ Only(PrescriptionRole, Phy, Pha, Adm)),

        // Who may review is decided before the read is looked up, so a read that is not there shows the roles; the quality manager, allowed, is
        // told it is not there (record_access.not_found). Reviewing a real break-glass read: Writes/StreamCommandTests.
        new("Mutation.reviewBreakGlass", () => new(Input: new { accessId = New("acc"), justified = true, note = "matrix" }), Only("access.reviewer_not_allowed", Qm)),
        new("Mutation.purgeRecord", () => new(Input: new { kind = "PRESCRIPTION", recordId = "rx-delivered", reason = "matrix" }), Only("purge.role_not_allowed", Adm)),
        new("Mutation.recordSignature", () => new(Input: new { subject = new { streamType = "prescription", streamId = "prescription-rx-draft", version = 1 }, subjectHash = Hash,
            algorithm = "ECDSA_P256_WITH_SHA256", keyFingerprint = Hash, value = "AAAA" }), Anyone),
        // Feeds: integrators use them within the grant their token carries (the matrix's tokens carry none), administrators
        // operate them; a webhook that is not the caller's is as unknown as a missing one.
        new("Query.webhooks", () => new(), F, F, F, F, F, F, F, F, A),
        new("Query.webhookDeliveries", () => new($"(webhookId: \"{NoWebhook}\")"), F, F, F, F, F, F, F, F, R(UnknownWebhook)),
        new("Query.webhookDeadLetters", () => new($"(webhookId: \"{NoWebhook}\")"), F, F, F, F, F, F, F, F, R(UnknownWebhook)),
        new("Mutation.registerWebhook", () => new(Input: new { endpoint = "http://127.0.0.1:9/matrix-hook", eventTypes = new[] { "prescription.*" } }),
            F, F, F, F, F, F, F, F, A),
        new("Mutation.pauseWebhook", () => new($"(webhookId: \"{NoWebhook}\")"), F, F, F, F, F, F, F, F, R(UnknownWebhook)),
        new("Mutation.resumeWebhook", () => new($"(webhookId: \"{NoWebhook}\")"), F, F, F, F, F, F, F, F, R(UnknownWebhook)),
        new("Mutation.replayWebhook", () => new($"(webhookId: \"{NoWebhook}\", after: \"0\")"), F, F, F, F, F, F, F, F, R(UnknownWebhook)),
    ];

    private static readonly GraphQL.Types.Schema Schema = RecordsSchema.Build();

    /// <summary>The operation calling <paramref name="field"/> ("Query.me") as <paramref name="probe"/> says.</summary>
    private static (string Query, object? Variables) Operation(string field, Probe probe)
    {
        var (root, name) = (field[..field.IndexOf('.')], field[(field.IndexOf('.') + 1)..]);
        var definition = (root == "Query" ? Schema.Query : Schema.Mutation)!.GetField(name)!;
        if (probe.Input is null)
            return ($"{root.ToLowerInvariant()} {{ {name}{probe.Arguments} {Everything(definition.Type.Named, depth: 3)} }}", null);
        var input = JsonSerializer.SerializeToElement(probe.Input).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        if (((GraphQL.Types.InputObjectType)definition.GetArgument("input")!.Type.Named).Fields.ContainsKey("clientMutationId"))
            input["clientMutationId"] = Guid.NewGuid().ToString();
        return ($"{root.ToLowerInvariant()}($input: {definition.GetArgument("input")!.Type}) {{ {name}(input: $input) {Everything(definition.Type.Named, depth: 3)} }}",
            new { input });
    }

    /// <summary>
    /// A selection of every field of <paramref name="type"/> that needs no argument, objects <paramref name="depth"/>
    /// levels down (then their type name only); nothing for a leaf type.
    /// </summary>
    private static string Everything(GraphQL.Types.NamedType type, int depth) => type switch
    {
        GraphQL.Types.ObjectType o when depth > 0 => "{ __typename " + string.Join(" ", o.Fields.Values
            .Where(f => !f.Arguments.Any(a => a.Type is GraphQL.Types.NonNullType))
            .Select(f => f.Name + " " + Everything(f.Type.Named, depth - 1))) + " }",
        { IsLeafType: true } => "",
        _ => "{ __typename }",
    };

    [Fact]
    public void Every_root_field_has_a_row()
    {
        var fields = Schema.Query!.Fields.Keys.Select(f => "Query." + f)
            .Concat(Schema.Mutation?.Fields.Keys.Select(f => "Mutation." + f) ?? [])
            .ToHashSet();
        var rows = Matrix.Select(r => r.Field).ToList();

        Assert.True(fields.Except(rows).Order().ToList() is [], $"Fields without a row in the authorization matrix: {string.Join(", ", fields.Except(rows).Order())}");
        Assert.True(rows.Except(fields).ToList() is [], $"Rows for fields the schema no longer has: {string.Join(", ", rows.Except(fields))}");
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.All(Matrix, row => Assert.True(row.Cells.Length == Roles.Length, $"{row.Field} has {row.Cells.Length} cells; it needs one per role ({Roles.Length})."));
    }

    [Fact]
    public async Task Anonymous_callers_get_401_on_every_field()
    {
        foreach (var row in Matrix)
        {
            var (status, body) = await SendAsync(null, Operation(row.Field, row.Probe()));
            Assert.True(status == HttpStatusCode.Unauthorized, $"{row.Field}: anonymous got {(int)status}");
            Assert.Equal("auth.missing_token", body.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Every_role_gets_its_expected_outcome_on_every_field()
    {
        var cells = Matrix.SelectMany(row => Roles.Zip(row.Cells, (column, expected) => (row, column.Role, column.Persona, expected))).ToList();
        var failures = new List<string>();
        foreach (var (row, role, persona, expected) in cells.Where(c => c.expected is Refused).Concat(cells.Where(c => c.expected is Allowed)))
        {
            if (await CheckAsync(row, persona, expected) is { } failure) failures.Add($"{row.Field} as {role}: {failure}");
        }

        Assert.True(failures is [], "Cells that do not hold:\n" + string.Join("\n", failures));
    }

    private async Task BeforeAsync(Probe probe)
    {
        foreach (var step in probe.Before ?? [])
        {
            var (status, body) = await SendAsync(step.As, Operation("Mutation." + step.Mutation, new Probe(Input: step.Input)));
            var payload = body.GetProperty("data").GetProperty(step.Mutation);
            Assert.True(status == HttpStatusCode.OK && payload.GetProperty("error").ValueKind == JsonValueKind.Null, $"{step.Mutation} before the probe: {body}");
        }
    }

    /// <summary>Why the cell does not hold, or null when it does.</summary>
    private async Task<string?> CheckAsync(Row row, Actor persona, Expect expected)
    {
        var field = row.Field[(row.Field.IndexOf('.') + 1)..];
        var probe = row.Probe();
        await BeforeAsync(probe);
        var before = await LastEventIdAsync();
        var (status, body) = await SendAsync(persona, Operation(row.Field, probe));
        if (status != HttpStatusCode.OK) return $"HTTP {(int)status}: {body}";

        var value = body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty(field, out var v) ? v : default;
        var codes = Codes(body, value).ToList();
        switch (expected)
        {
            case Allowed:
                if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return $"no data: {body}";
                if (codes.FirstOrDefault(IsRefusal) is { } refusal) return $"refused with {refusal}";
                // The domain may still refuse an allowed caller for another reason: then too nothing leaks and the attempt is recorded.
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("error", out var error) || error.ValueKind == JsonValueKind.Null) return null;
                var code = error.GetProperty("code").GetString()!;
                if (Leaks(value)) return $"refused with {code} but answered with data: {value}";
                return await RecordedAsync(before, persona.Id, code) ? null : $"refused with {code} but no refusal by {persona.Id} was recorded";
            case Refused(var expectedCode):
                if (!codes.Contains(expectedCode)) return $"expected {expectedCode}, got {body}";
                if (Leaks(value)) return $"refused but answered with data: {value}";
                return await RecordedAsync(before, persona.Id, expectedCode) ? null : $"refused with {expectedCode} but no refusal by {persona.Id} was recorded";
            default:
                throw new ArgumentOutOfRangeException(nameof(expected));
        }
    }

    /// <summary>The codes of the response's GraphQL errors and of a mutation payload's own error.</summary>
    private static IEnumerable<string> Codes(JsonElement body, JsonElement value)
    {
        if (body.TryGetProperty("errors", out var errors))
            foreach (var error in errors.EnumerateArray())
                if (error.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var code)) yield return code.GetString()!;
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("error", out var payloadError) && payloadError.ValueKind == JsonValueKind.Object)
            yield return payloadError.GetProperty("code").GetString()!;
    }

    /// <summary>A code that says who asks may not: any the matrix expects somewhere, or a domain's role refusal.</summary>
    private static bool IsRefusal(string code) =>
        code.EndsWith(".role_not_allowed", StringComparison.Ordinal) || Matrix.SelectMany(r => r.Cells).OfType<Refused>().Any(r => r.Code == code);

    /// <summary>A refused field answers null, or a payload holding nothing but its type, the caller's mutation id, the record's id and the error.</summary>
    private static bool Leaks(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Any(p => p.Name is not ("__typename" or "clientMutationId" or "recordId" or "error")
                && p.Value.ValueKind != JsonValueKind.Null && !(p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 0))
            : value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(Actor? actor, (string Query, object? Variables) operation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query = operation.Query, variables = operation.Variables }), Encoding.UTF8, "application/json"),
        };
        if (actor is not null)
        {
            var token = host.Host.App.Services.GetRequiredService<TokenIssuer>().Issue(actor.Id, actor.Role, actor.RealNameVerified);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<long> LastEventIdAsync()
    {
        await using var command = host.Admin.CreateCommand("select coalesce(max(id), 0) from eventstore.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Whether a refusal of <paramref name="actorId"/> with <paramref name="code"/> was appended after event <paramref name="after"/>.</summary>
    private async Task<bool> RecordedAsync(long after, string actorId, string code)
    {
        await using var command = host.Admin.CreateCommand(
            "select exists (select 1 from eventstore.events where id > $1 and actor_id = $2 and stream_type = 'command_rejection' and data->>'code' = $3)");
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = actorId });
        command.Parameters.Add(new() { Value = code });
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
