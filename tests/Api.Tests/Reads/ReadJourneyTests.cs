using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Demo;
using Records.Api.Tests.Schema;
using Records.Projections.Emr;

namespace Records.Api.Tests.Reads;

/// <summary>Each persona's read journey through GraphQL over HTTP, on the demo hospital, with the refusals each query gives.</summary>
public sealed class ReadJourneyTests(DemoHostFixture host) : IClassFixture<DemoHostFixture>
{
    private readonly GraphQLClient _client = new(host);

    private static string Code(JsonElement finding) => finding.GetProperty("rule").GetProperty("id").GetString()!;

    [Fact]
    public async Task The_regulator_finds_the_planted_violations_and_traces_a_diagnosis_to_its_evidence_and_signatures()
    {
        var findings = await _client.DataAsync(DemoPersonas.Regulator, """
            query($asOf: Instant) { findings(filter: { asOf: $asOf }) { indicator { number } rule { id source } practitionerId patientRef evidence { eventId sequence } } }
            """, "findings", new { asOf = DateTime.UtcNow.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm:ssZ") });
        var rules = findings.EnumerateArray().Select(Code).ToHashSet();
        Assert.Contains("visit.informed_consent", rules);          // Wu's follow-up without consent
        Assert.Contains("document.late_signature", rules);         // the rescue note signed after 6 h
        Assert.Contains("signature.authoritative_time", rules);    // the skewed device clock
        Assert.Contains("access.no_care_relationship", rules);     // the nurse's break-glass
        Assert.Contains("prescription.review_too_fast", rules);    // approvals within seconds
        Assert.All(findings.EnumerateArray(), f => Assert.NotEqual("pt-zhang", f.GetProperty("patientRef").GetString()));
        Assert.All(findings.EnumerateArray(), f => Assert.NotEmpty(f.GetProperty("evidence").EnumerateArray()));

        var accessFindings = await _client.DataAsync(DemoPersonas.Regulator, "{ findings(filter: { indicator: 20 }) { practitionerId } }", "findings");
        var readers = accessFindings.EnumerateArray().Select(f => f.GetProperty("practitionerId").GetString()).ToList();
        Assert.Contains("nu-sun", readers);
        Assert.DoesNotContain("reg-province", readers); // the regulator's own pseudonymised reads are by mandate
        var counts = await _client.DataAsync(DemoPersonas.Regulator, "{ findingCounts(period: DAY) { indicator { number } count periodStart } }", "findingCounts");
        Assert.Equal(findings.GetArrayLength(), counts.EnumerateArray().Sum(c => c.GetProperty("count").GetInt32()));
        var register = await _client.DataAsync(DemoPersonas.Regulator, """{ practitionerRegister(practitionerId: "dr-li") { name practiceYears enrolments { institutionId } } }""", "practitionerRegister");
        Assert.NotEmpty(register[0].GetProperty("enrolments").EnumerateArray());
        var adverse = await _client.DataAsync(DemoPersonas.Regulator, "{ adverseEvents { adverseEventId status deadline reportedAt } }", "adverseEvents");
        Assert.Equal("MET", adverse.EnumerateArray().Single(a => a.GetProperty("adverseEventId").GetString() == "ae-zhang-edema").GetProperty("status").GetString());

        // The regulator holds a diagnosis id (from a complaint, say) and follows it back.
        var diagnosisId = (await host.Host.App.Services.GetRequiredService<EmrQueries>().DiagnosesAsync("pt-zhang"))
            .Single(d => d.ConsultationId == "c-zhang-htn").DiagnosisId.ToString();
        const string trace = """
            query($id: ID!, $case: String, $reason: String) { trace(diagnosisId: $id, case: $case, reason: $reason) { ... on DiagnosisTrace {
              diagnosis { icd10 } event { eventId sequence hash previousHash }
              consultation { consultationId patientId }
              evidence { documentRef contentHash event { sequence hash } }
              messagesBefore { messageId event { sequence } }
              doctor { practitionerId registered realNameVerifiedForConsultation verification { eventId } }
              documents { documentId version signatures { signerId coversExactly event { hash } } } } } }
            """;
        var pseudonymised = await _client.DataAsync(DemoPersonas.Regulator, trace, "trace", new { id = diagnosisId });
        Assert.Equal("I10.x01", pseudonymised.GetProperty("diagnosis").GetProperty("icd10").GetString());
        Assert.Equal(64, pseudonymised.GetProperty("consultation").GetProperty("patientId").GetString()!.Length);
        Assert.Equal("HIS-OP-2025-11873", pseudonymised.GetProperty("evidence")[0].GetProperty("documentRef").GetString());
        Assert.Equal(2, pseudonymised.GetProperty("messagesBefore").GetArrayLength());
        var doctor = pseudonymised.GetProperty("doctor");
        Assert.Equal("dr-li", doctor.GetProperty("practitionerId").GetString());
        Assert.True(doctor.GetProperty("realNameVerifiedForConsultation").GetBoolean());
        var signed = pseudonymised.GetProperty("documents").EnumerateArray().SelectMany(d => d.GetProperty("signatures").EnumerateArray()).ToList();
        Assert.True(signed.Any(s => s.GetProperty("signerId").GetString() == "dr-li" && s.GetProperty("coversExactly").GetBoolean()), pseudonymised.GetProperty("documents").ToString());

        var inCase = await _client.DataAsync(DemoPersonas.Regulator, trace, "trace", new { id = diagnosisId, @case = "NX-2026-17", reason = "Complaint about the diagnosis" });
        Assert.Equal("pt-zhang", inCase.GetProperty("consultation").GetProperty("patientId").GetString());
    }

    [Fact]
    public async Task Supervision_queries_refuse_other_roles_with_a_code_and_record_the_attempt()
    {
        Assert.Equal("access.role_not_allowed", await _client.ErrorCodeAsync(DemoPersonas.DrZhao, "{ findings { id } }"));
        Assert.Equal("access.role_not_allowed", await _client.ErrorCodeAsync(DemoPersonas.DrZhao, "{ practitionerRegister { name } }"));
        Assert.Equal("access.role_not_allowed", await _client.ErrorCodeAsync(DemoPersonas.PatientLi, """{ trace(prescriptionId: "rx-delivered") { __typename } }"""));
        Assert.Equal("request.one_id", await _client.ErrorCodeAsync(DemoPersonas.Regulator, "{ trace { __typename } }"));
        Assert.Equal("access.case_required", await _client.ErrorCodeAsync(DemoPersonas.Regulator, """{ recordHistory(recordType: "document", recordId: "doc-zhang-op") { hash } }"""));

        Assert.Equal(["access.role_not_allowed", "access.role_not_allowed"], await _client.RecordedRefusalsAsync(DemoPersonas.DrZhao));
        Assert.Equal(["access.role_not_allowed"], await _client.RecordedRefusalsAsync(DemoPersonas.PatientLi));
        Assert.Contains("access.case_required", await _client.RecordedRefusalsAsync(DemoPersonas.Regulator));
    }

    [Fact]
    public async Task The_legal_user_reconstructs_a_document_before_its_amendment_and_lists_who_read_it()
    {
        const string reason = "Dispute DSP-2026-001: the allergy note";
        var history = await _client.DataAsync(DemoPersonas.LegalHe, """
            query($reason: String) { recordHistory(recordType: "document", recordId: "doc-zhang-op", reason: $reason) { eventType version recordedAt actorId actorRole reason hash previousHash } }
            """, "recordHistory", new { reason });
        var amended = history.EnumerateArray().Single(e => e.GetProperty("eventType").GetString() == "document.amended.v1");
        Assert.Equal("dr-li", amended.GetProperty("actorId").GetString());
        Assert.Equal("补充过敏史：青霉素过敏", amended.GetProperty("reason").GetString());
        Assert.Equal(history[0].GetProperty("hash").GetString(), history[1].GetProperty("previousHash").GetString());

        var before = DateTimeOffset.Parse(amended.GetProperty("recordedAt").GetString()!).AddMilliseconds(-1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        const string asOf = """
            query($at: Instant!, $reason: String) { documentAsOf(documentId: "doc-zhang-op", at: $at, reason: $reason) { currentVersion versions { version contentHash } } }
            """;
        var then = await _client.DataAsync(DemoPersonas.LegalHe, asOf, "documentAsOf", new { at = before, reason });
        // Now to the tick: now cut to the second could be before the demo's document was written, in the same second.
        var now = await _client.DataAsync(DemoPersonas.LegalHe, asOf, "documentAsOf", new { at = DateTime.UtcNow.ToString("O"), reason });
        Assert.Equal(1, then.GetProperty("currentVersion").GetInt32());
        Assert.Equal(1, then.GetProperty("versions").GetArrayLength());
        Assert.Equal(2, now.GetProperty("currentVersion").GetInt32());

        var reads = await _client.DataAsync(DemoPersonas.LegalHe, """
            query($reason: String) { accessHistory(patientId: "pt-zhang", reason: $reason) { readerId readerRole resource purpose breakGlass breakGlassReason } }
            """, "accessHistory", new { reason });
        Assert.Contains(reads.EnumerateArray(), r => r.GetProperty("readerId").GetString() == "legal-he" && r.GetProperty("resource").GetString() == "document.as_of");
        Assert.Contains(reads.EnumerateArray(), r => r.GetProperty("readerId").GetString() == "nu-sun" && r.GetProperty("breakGlass").GetBoolean());

        var seals = await _client.DataAsync(DemoPersonas.LegalHe, """query($reason: String) { seals(documentId: "doc-zhang-note", reason: $reason) { kind disputeRef institutionSignatureId patientSideSignatureId } }""",
            "seals", new { reason });
        Assert.Equal("DSP-2026-001", seals.EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "sealed").GetProperty("disputeRef").GetString());

        Assert.Equal("access.break_glass_reason_required",
            await _client.ErrorCodeAsync(DemoPersonas.LegalHe, """{ accessHistory(patientId: "pt-zhang") { readerId } }"""));
        Assert.Equal("read.not_found", await _client.ErrorCodeAsync(DemoPersonas.LegalHe, """{ documentAsOf(documentId: "doc-none", at: "2026-01-01T00:00:00Z", reason: "x") { kind } }"""));
    }

    [Fact]
    public async Task The_patient_sees_who_read_their_record_and_others_cannot_read_their_log()
    {
        var log = await _client.DataAsync(DemoPersonas.PatientZhang, "{ myAccessLog { readerId readerRole purpose breakGlass breakGlassReason readAt review { justified } } }", "myAccessLog");
        var nurse = log.EnumerateArray().Single(r => r.GetProperty("readerId").GetString() == "nu-sun");
        Assert.True(nurse.GetProperty("breakGlass").GetBoolean());
        Assert.Equal("夜班电话咨询，需查看用药", nurse.GetProperty("breakGlassReason").GetString());

        var again = await _client.DataAsync(DemoPersonas.PatientZhang, "{ myAccessLog { readerId resource } }", "myAccessLog");
        Assert.Contains(again.EnumerateArray(), r => r.GetProperty("readerId").GetString() == "pt-zhang" && r.GetProperty("resource").GetString() == "patient.access_log");

        Assert.Equal("access.role_not_allowed", await _client.ErrorCodeAsync(DemoPersonas.DrLi, "{ myAccessLog { readerId } }"));
        Assert.Equal("access.not_your_record", await _client.ErrorCodeAsync(DemoPersonas.PatientLi, """{ patientHistory(patientId: "pt-zhang") { edges { cursor } } }"""));
    }

    [Fact]
    public async Task A_clinician_pages_a_history_reads_a_consultation_and_a_document_and_is_refused_without_a_relationship_or_reason()
    {
        const string page = """
            query($after: String) { patientHistory(patientId: "pt-zhang", first: 5, after: $after) { edges { cursor node { sequence eventType recordKind } } pageInfo { hasNextPage hasPreviousPage endCursor } } }
            """;
        var first = await _client.DataAsync(DemoPersonas.DrLi, page, "patientHistory");
        var second = await _client.DataAsync(DemoPersonas.DrLi, page, "patientHistory", new { after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString() });
        Assert.Equal(5, first.GetProperty("edges").GetArrayLength());
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.True(second.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        long Sequence(JsonElement edge) => long.Parse(edge.GetProperty("node").GetProperty("sequence").GetString()!);
        Assert.True(Sequence(second.GetProperty("edges")[0]) > Sequence(first.GetProperty("edges")[4]));

        var consultation = await _client.DataAsync(DemoPersonas.DrLi, """
            { consultation(consultationId: "c-zhang-htn") { status doctorId messages { senderId text event { sequence } } evidence { documentRef diagnoses { icd10 } } } }
            """, "consultation");
        Assert.Equal(["pt-zhang", "dr-li"], consultation.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("senderId").GetString()));
        Assert.Equal("I10", consultation.GetProperty("evidence")[0].GetProperty("diagnoses")[0].GetProperty("icd10").GetString());

        var document = await _client.DataAsync(DemoPersonas.DrLi, """{ document(documentId: "doc-zhang-op") { currentVersion versions { version reason signerId } } }""", "document");
        Assert.Equal([null, "补充过敏史：青霉素过敏"], document.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("reason").GetString()));

        var queue = await _client.DataAsync(DemoPersonas.PharmacistChen, "{ prescriptionsToReview(first: 10) { edges { node { patientId prescription { prescriptionId status } } } } }", "prescriptionsToReview");
        Assert.Contains(queue.GetProperty("edges").EnumerateArray(), e => e.GetProperty("node").GetProperty("prescription").GetProperty("prescriptionId").GetString() == "rx-awaiting-review");

        Assert.Equal("access.break_glass_reason_required", await _client.ErrorCodeAsync(DemoPersonas.DrZhao, """{ consultation(consultationId: "c-zhang-htn") { status } }"""));
        Assert.Equal("access.role_not_allowed", await _client.ErrorCodeAsync(DemoPersonas.DrLi, "{ prescriptionsToReview { edges { cursor } } }"));
        Assert.Equal("access.role_not_allowed", await _client.ErrorCodeAsync(DemoPersonas.PharmacyIntegrator, """{ document(documentId: "doc-zhang-op") { currentVersion } }"""));
        Assert.Equal("cursor.invalid", await _client.ErrorCodeAsync(DemoPersonas.DrLi, """{ patientHistory(patientId: "pt-zhang", after: "nonsense!") { edges { cursor } } }"""));
        Assert.Contains("access.break_glass_reason_required", await _client.RecordedRefusalsAsync(DemoPersonas.DrZhao));
    }
}
