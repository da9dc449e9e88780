using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Commands;
using Records.Api.Identity;
using Records.Domain;

namespace Records.Api.Tests.Access;

public sealed class RecordEndpointTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>
{
    private async Task<HttpResponseMessage> GetAsync(string path, Actor actor)
    {
        var token = host.Host.App.Services.GetRequiredService<TokenIssuer>().Issue(actor.Id, actor.Role, actor.RealNameVerified);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await host.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_patient_gets_their_record_over_HTTP_and_is_refused_another_with_a_code()
    {
        var clinic = new Clinic(host.Host.App.Services.GetRequiredService<CommandExecutor>());
        await clinic.InstitutionAsync();
        var patient = await clinic.PatientAsync(Clinic.NewId("pt-"));
        var other = await clinic.PatientAsync(Clinic.NewId("pt-"));

        var own = await GetAsync($"/patients/{patient.Id}/record?purpose=patientRequest", patient);
        var others = await GetAsync($"/patients/{other.Id}/record?purpose=patientRequest", patient);
        var badPurpose = await GetAsync($"/patients/{patient.Id}/record?purpose=curiosity", patient);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var body = await own.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(patient.Id, body.GetProperty("record").GetProperty("patientId").GetString());
        Assert.False(body.GetProperty("access").GetProperty("pseudonymised").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, others.StatusCode);
        Assert.Equal("access.not_your_record", (await others.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badPurpose.StatusCode);
        Assert.Equal("request.invalid_purpose", (await badPurpose.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
