using Microsoft.Extensions.DependencyInjection;
using Records.Api.Commands;
using Records.Api.Hosting;
using Records.Api.Tests.Access;
using Records.Domain;

namespace Records.Api.Tests.Reads;

/// <summary>A regulator's supervision reads are by mandate: indicator 20 (reads without a care relationship) counts clinicians, not them.</summary>
public sealed class RegulatorReadsTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>
{
    private static readonly Actor Regulator = new("reg-test", Role.Regulator, true);
    private static readonly Actor Quality = new("qm-test", Role.QualityManager, true);

    [Fact]
    public async Task A_pseudonymised_read_is_no_finding_and_a_named_case_read_is_flagged_for_review()
    {
        var clinic = new Clinic(host.Host.App.Services.GetRequiredService<CommandExecutor>());
        await clinic.InstitutionAsync();
        var patient = await clinic.PatientAsync(Clinic.NewId("pt-"));
        var client = new GraphQLClient(host);
        const string record = "query($id: ID!, $case: String, $reason: String) { patientRecord(patientId: $id, case: $case, reason: $reason) { patientId name } }";
        const string accessFindings = """{ findings(filter: { indicator: 20, practitionerId: "reg-test" }) { rule { id } } }""";

        var pseudonymised = await client.DataAsync(Regulator, record, "patientRecord", new { id = patient.Id });
        Assert.NotEqual(patient.Id, pseudonymised.GetProperty("patientId").GetString());
        await CurrentAsync();
        Assert.Empty((await client.DataAsync(Quality, accessFindings, "findings")).EnumerateArray());

        var named = await client.DataAsync(Regulator, record, "patientRecord", new { id = patient.Id, @case = "NX-2026-9", reason = "Complaint about a prescription" });
        Assert.Equal(patient.Id, named.GetProperty("patientId").GetString());
        await CurrentAsync();
        Assert.Contains((await client.DataAsync(Quality, accessFindings, "findings")).EnumerateArray(),
            f => f.GetProperty("rule").GetProperty("id").GetString() == "access.no_care_relationship");

        var log = await client.DataAsync(patient, "{ myAccessLog { readerId breakGlass breakGlassReason } }", "myAccessLog");
        var regulatorReads = log.EnumerateArray().Where(r => r.GetProperty("readerId").GetString() == "reg-test").ToList();
        Assert.Equal([false, true], regulatorReads.Select(r => r.GetProperty("breakGlass").GetBoolean()));
        Assert.Equal("Case NX-2026-9: Complaint about a prescription", regulatorReads[1].GetProperty("breakGlassReason").GetString());
    }

    private async Task CurrentAsync() =>
        Assert.True(await host.Host.App.Services.GetRequiredService<ProjectionService>().CatchUpAsync(ProjectionService.Regulator, TimeSpan.FromSeconds(20), CancellationToken.None));
}
