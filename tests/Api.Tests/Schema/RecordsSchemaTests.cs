using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Demo;
using Records.Api.Identity;
using Records.Domain;

namespace Records.Api.Tests.Schema;

/// <summary>The real host with the demo hospital loaded on start, as the embedded default does.</summary>
public sealed class DemoHostFixture : RecordsHostFixture
{
    protected override IEnumerable<string> MoreSettings => ["--Records:Demo:Skip=false", "--Records:Demo:Load=true"];
}

public sealed class RecordsSchemaTests(DemoHostFixture host) : IClassFixture<DemoHostFixture>
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(Actor? actor, string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if (actor is not null)
        {
            var token = host.Host.App.Services.GetRequiredService<TokenIssuer>().Issue(actor.Id, actor.Role, actor.RealNameVerified);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        var response = await host.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private const string Review = """
        mutation($input: RejectPrescriptionInput!) {
          rejectPrescription(input: $input) {
            clientMutationId prescription { status reviewerId } events { eventId eventType version hash sequence } error { code message rule { id source } }
          }
        }
        """;

    [Fact]
    public async Task Without_a_token_the_endpoint_answers_401_with_a_code()
    {
        var (status, body) = await PostAsync(null, "{ me { id } }");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("auth.missing_token", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_patient_reads_their_record_and_gets_a_coded_error_for_another()
    {
        var (_, own) = await PostAsync(DemoPersonas.PatientZhang, """{ patientRecord(patientId: "pt-zhang", purpose: PATIENT_REQUEST) { patientId name prescriptions { status } } }""");
        var (_, other) = await PostAsync(DemoPersonas.PatientZhang, """{ patientRecord(patientId: "pt-li", purpose: PATIENT_REQUEST) { patientId } }""");

        var record = own.GetProperty("data").GetProperty("patientRecord");
        Assert.Equal("张伟", record.GetProperty("name").GetString());
        Assert.Equal(8, record.GetProperty("prescriptions").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, other.GetProperty("data").GetProperty("patientRecord").ValueKind);
        Assert.Equal("access.not_your_record", other.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_pharmacist_rejects_a_prescription_and_a_retry_is_answered_from_the_first_result()
    {
        var input = new { clientMutationId = Guid.NewGuid().ToString(), prescriptionId = "rx-awaiting-review", reasons = new[] { "剂量需核对" } };

        var (_, first) = await PostAsync(DemoPersonas.PharmacistLiu, Review, new { input });
        var (_, retried) = await PostAsync(DemoPersonas.PharmacistLiu, Review, new { input });

        var payload = first.GetProperty("data").GetProperty("rejectPrescription");
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("error").ValueKind);
        Assert.Equal("REJECTED", payload.GetProperty("prescription").GetProperty("status").GetString());
        var written = payload.GetProperty("events")[0];
        Assert.Equal("prescription.rejected.v1", written.GetProperty("eventType").GetString());
        Assert.NotEqual(JsonValueKind.Null, written.GetProperty("sequence").ValueKind);
        Assert.Equal(written.GetRawText(), retried.GetProperty("data").GetProperty("rejectPrescription").GetProperty("events")[0].GetRawText());
    }

    [Fact]
    public async Task A_refused_mutation_answers_with_the_domains_code()
    {
        var input = new { clientMutationId = Guid.NewGuid().ToString(), prescriptionId = "rx-draft", reasons = new[] { "x" } };

        var (_, body) = await PostAsync(DemoPersonas.PharmacistLiu, Review, new { input });

        var payload = body.GetProperty("data").GetProperty("rejectPrescription");
        Assert.Equal("prescription.illegal_transition", payload.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, payload.GetProperty("events").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, payload.GetProperty("prescription").ValueKind); // a refusal discloses no record
    }
}
