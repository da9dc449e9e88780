using System.Net;
using System.Text.Json;
using Npgsql;
using Records.Domain;

namespace Records.Api.Tests.Writes;

/// <summary>The hospital's staff through the API, end to end: every step an HTTP request to the real host.</summary>
public sealed class JourneyTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>, IAsyncLifetime
{
    private readonly WriteApi _api = new(host);

    public async Task InitializeAsync() => await _api.InstitutionAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string PrescriptionState = "prescription { id status signingHash prescriberId reviewerId validUntil }";

    /// <summary>A follow-up from request to a signed prescription; returns the prescription's id, its signing hash and the prescriber.</summary>
    private async Task<(string Id, string Hash, Actor Doctor)> SignedPrescriptionAsync()
    {
        var doctor = await _api.PractitionerAsync("Physician", "内科");
        var patient = await _api.PatientAsync();
        var visit = await _api.OpenFollowUpAsync(patient, doctor);
        await _api.AcceptedAsync(patient, "AttachOfflineEvidence", new
        {
            consultationId = visit, kind = "OUTPATIENT_RECORD", documentRef = "HIS-OP-1", contentHash = WriteApi.Hash("门诊病历"), issuedBy = "测试人民医院",
            diagnoses = new[] { new { icd10 = "I10", text = "原发性高血压" } },
        });
        await _api.AcceptedAsync(doctor, "RecordDiagnosis", new { consultationId = visit, diagnosis = new { icd10 = "I10.x01", text = "高血压病1级" } });

        var drafted = await _api.AcceptedAsync(doctor, "DraftPrescription", new
        {
            consultationId = visit,
            diagnoses = new[] { new { icd10 = "I10.x01", text = "高血压病1级" } },
            lines = new[] { new { drug = "苯磺酸氨氯地平片", @class = "ORDINARY", form = "片剂", strength = "5mg", quantity = "7", unit = "片", dosage = "每日一次，每次5mg", daysSupply = 7 } },
            emergency = false,
        }, PrescriptionState);
        var id = drafted.GetProperty("recordId").GetString()!;
        var state = drafted.GetProperty("prescription");
        Assert.Equal("DRAFTED", state.GetProperty("status").GetString());
        Assert.Equal(doctor.Id, state.GetProperty("prescriberId").GetString());
        var hash = state.GetProperty("signingHash").GetString()!;
        var events = drafted.GetProperty("events");
        var version = events[events.GetArrayLength() - 1].GetProperty("version").GetInt64();

        var signature = await _api.SignAsync(doctor, "prescription", id, version, hash);
        var signed = await _api.AcceptedAsync(doctor, "SignPrescription", new { prescriptionId = id, signatureId = signature }, PrescriptionState);
        Assert.Equal("SIGNED", signed.GetProperty("prescription").GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, signed.GetProperty("prescription").GetProperty("validUntil").ValueKind);
        Assert.Equal("prescription.signed.v1", signed.GetProperty("events")[0].GetProperty("eventType").GetString());
        return (id, hash, doctor);
    }

    [Fact]
    public async Task A_physician_runs_a_follow_up_from_request_to_signed_prescription()
    {
        var (id, _, _) = await SignedPrescriptionAsync();

        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public async Task A_pharmacist_approves_with_their_signature()
    {
        var (id, hash, _) = await SignedPrescriptionAsync();
        var pharmacist = await _api.PractitionerAsync("Pharmacist", "药学");

        var signature = await _api.SignAsync(pharmacist, "prescription", id, 1, hash);
        var approved = await _api.AcceptedAsync(pharmacist, "ApprovePrescription", new { prescriptionId = id, signatureId = signature }, PrescriptionState);

        var state = approved.GetProperty("prescription");
        Assert.Equal("APPROVED", state.GetProperty("status").GetString());
        Assert.Equal(pharmacist.Id, state.GetProperty("reviewerId").GetString());
        var written = approved.GetProperty("events")[0];
        Assert.Equal("prescription.approved.v1", written.GetProperty("eventType").GetString());
        Assert.Equal(3, written.GetProperty("version").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", written.GetProperty("hash").GetString()!);
        Assert.Matches("^[0-9]+$", written.GetProperty("sequence").GetString()!);
    }

    [Fact]
    public async Task A_pharmacist_rejects_with_reasons()
    {
        var (id, _, _) = await SignedPrescriptionAsync();
        var pharmacist = await _api.PractitionerAsync("Pharmacist", "药学");

        var rejected = await _api.AcceptedAsync(pharmacist, "RejectPrescription", new { prescriptionId = id, reasons = new[] { "与在用药物重复", "请核对剂量" } },
            PrescriptionState);

        Assert.Equal("REJECTED", rejected.GetProperty("prescription").GetProperty("status").GetString());
        Assert.Equal("prescription.rejected.v1", rejected.GetProperty("events")[0].GetProperty("eventType").GetString());
    }

    [Fact]
    public async Task The_prescriber_reviewing_their_own_prescription_is_refused_with_the_rule_and_its_source()
    {
        var (id, _, doctor) = await SignedPrescriptionAsync();

        var error = await _api.RefusedAsync(doctor, "RejectPrescription", new { prescriptionId = id, reasons = new[] { "x" } }, "prescription.reviewer_is_prescriber");

        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("rule").GetProperty("id").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("rule").GetProperty("source").GetString()));
    }

    [Fact]
    public async Task A_refused_command_shows_no_state_and_writes_only_its_refusal()
    {
        var patient = await _api.PatientAsync();
        var visit = WriteApi.NewId("c");

        var payload = await _api.MutateAsync(patient, "RequestConsultation", new
        {
            consultationId = visit, patientId = patient.Id, kind = "ONLINE_FOLLOW_UP", subject = "内科", complaint = "第一次胸痛", firstVisit = true,
        }, "consultation { status }");

        Assert.Equal("visit.first_visit_online", payload.GetProperty("error").GetProperty("code").GetString());
        Assert.NotEqual(JsonValueKind.Null, payload.GetProperty("error").GetProperty("rule").ValueKind);
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("consultation").ValueKind);
        Assert.Equal(0, await CountAsync("select count(*) from eventstore.events where stream_id = $1", "consultation-" + visit));
    }

    [Fact]
    public async Task A_retry_with_the_same_client_mutation_id_is_answered_from_the_first_result_and_writes_nothing()
    {
        var patient = await _api.PatientAsync();
        var input = new { clientMutationId = Guid.NewGuid().ToString(), patientId = patient.Id, contact = "+86 139 0000 0001" };

        var first = await _api.AcceptedAsync(WriteApi.Admin, "ChangeContact", input, "patient { contact }");
        var before = await CountAsync("select count(*) from eventstore.events where stream_id = $1", "patient-" + patient.Id);
        var retried = await _api.AcceptedAsync(WriteApi.Admin, "ChangeContact", input, "patient { contact }");

        Assert.Equal(first.GetRawText(), retried.GetRawText());
        Assert.Equal(before, await CountAsync("select count(*) from eventstore.events where stream_id = $1", "patient-" + patient.Id));
    }

    [Fact]
    public async Task A_retried_refusal_is_the_same_refusal()
    {
        var (id, _, doctor) = await SignedPrescriptionAsync();
        var input = new { clientMutationId = Guid.NewGuid().ToString(), prescriptionId = id, reasons = new[] { "x" } };

        var first = await _api.MutateAsync(doctor, "RejectPrescription", input);
        var retried = await _api.MutateAsync(doctor, "RejectPrescription", input);

        Assert.Equal("prescription.reviewer_is_prescriber", first.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(first.GetRawText(), retried.GetRawText());
    }

    [Fact]
    public async Task Concurrent_retries_of_one_command_get_one_answer_and_write_once()
    {
        var (id, _, _) = await SignedPrescriptionAsync();
        var pharmacist = await _api.PractitionerAsync("Pharmacist", "药学");
        var input = new { clientMutationId = Guid.NewGuid().ToString(), prescriptionId = id, reasons = new[] { "剂量过大" } };

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _api.MutateAsync(pharmacist, "RejectPrescription", input, "prescription { status }")));

        Assert.Single(answers.Select(a => a.GetRawText()).Distinct());
        Assert.Equal(JsonValueKind.Null, answers[0].GetProperty("error").ValueKind);
        Assert.Equal(1, await CountAsync("select count(*) from eventstore.events where stream_id = $1 and event_type = 'prescription.rejected.v1'",
            "prescription-" + id));
    }

    [Fact]
    public async Task Concurrent_creations_under_one_client_mutation_id_create_one_record()
    {
        var input = new
        {
            clientMutationId = Guid.NewGuid().ToString(), name = "并发患者", sex = "MALE", dateOfBirth = "1980-01-01",
            identityDocumentHash = WriteApi.Hash("身份证 并发"), contact = "+86",
        };

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _api.MutateAsync(WriteApi.Admin, "RegisterPatient", input)));

        Assert.Single(answers.Select(a => a.GetRawText()).Distinct());
        Assert.Equal(input.clientMutationId.Replace("-", ""), answers[0].GetProperty("recordId").GetString());
        Assert.Equal(1, await CountAsync("select count(*) from eventstore.events where stream_id = $1", "patient-" + input.clientMutationId.Replace("-", "")));
    }

    [Fact]
    public async Task A_client_mutation_id_reused_for_another_record_is_a_coded_error()
    {
        var patient = await _api.PatientAsync();
        var other = await _api.PatientAsync();
        var clientMutationId = Guid.NewGuid().ToString();
        await _api.AcceptedAsync(WriteApi.Admin, "ChangeContact", new { clientMutationId, patientId = patient.Id, contact = "+86 1" });

        var (status, body) = await _api.PostAsync(WriteApi.Admin, WriteApi.MutationText("ChangeContact"),
            new { input = new { clientMutationId, patientId = other.Id, contact = "+86 2" } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("request.client_mutation_id_reused", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    private async Task<long> CountAsync(string sql, string parameter)
    {
        await using var command = host.Admin.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
