using System.Net;
using Records.Api.Demo;
using Records.Api.Tests.Schema;
using Records.Api.Tests.Writes;

namespace Records.Api.Tests.Access;

/// <summary>Only the audited reads write the access log: no client may write an entry of their own choosing.</summary>
public sealed class AccessLogWritersTests(DemoHostFixture host) : IClassFixture<DemoHostFixture>
{
    private readonly WriteApi _api = new(host);

    [Fact]
    public async Task The_schema_has_no_mutation_that_records_a_read()
    {
        var before = await ReadsByAsync(DemoPersonas.NurseSun.Id);
        var (status, body) = await _api.PostAsync(DemoPersonas.NurseSun, """
            mutation { recordRead(input: { clientMutationId: "8b0c5a3e-55a5-4a3f-9d25-0e6d1f6c1a01", patientId: "pt-zhang", resource: "record", purpose: TREATMENT }) { recordId } }
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("recordRead", error.GetProperty("message").GetString());
        Assert.Equal(before, await ReadsByAsync(DemoPersonas.NurseSun.Id));
    }

    [Fact]
    public async Task A_read_still_writes_its_access_event_before_the_data_is_returned()
    {
        var before = await ReadsByAsync(DemoPersonas.DrLi.Id);
        var (_, body) = await _api.PostAsync(DemoPersonas.DrLi, """{ patientRecord(patientId: "pt-zhang") { patientId } }""");

        Assert.Equal("pt-zhang", body.GetProperty("data").GetProperty("patientRecord").GetProperty("patientId").GetString());
        Assert.Equal(before + 1, await ReadsByAsync(DemoPersonas.DrLi.Id));
    }

    /// <summary>How many reads of patient data by <paramref name="readerId"/> the access log holds.</summary>
    private async Task<long> ReadsByAsync(string readerId)
    {
        await using var command = host.Admin.CreateCommand("select count(*) from eventstore.events where event_type = 'record_access.read.v1' and actor_id = $1");
        command.Parameters.Add(new() { Value = readerId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
