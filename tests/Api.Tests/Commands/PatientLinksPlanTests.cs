using Npgsql;
using Records.Api.Commands;

namespace Records.Api.Tests.Commands;

/// <summary>The patient's records are found through the index on the creating events' patient id, not by reading every event of a type.</summary>
public sealed class PatientLinksPlanTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>
{
    public static readonly TheoryData<string> Statements =
        [PatientLinks.ConsentIdsStatement, PatientLinks.ConsultationsStatement, PatientLinks.PrescriptionIdsStatement, PatientLinks.CareEventsStatement];

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task Each_lookup_reads_the_events_by_patient_index(string statement)
    {
        await using var connection = await host.Admin.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // A young test log is small enough for a scan to be cheapest; with scans priced out, the plan shows the index applies.
        await using (var off = new NpgsqlCommand("set local enable_seqscan = off", connection, transaction)) await off.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("explain " + statement, connection, transaction) { Parameters = { new() { Value = "pt-plan" } } };
        if (statement.Contains("$2", StringComparison.Ordinal)) explain.Parameters.Add(new() { Value = PatientLinks.CareEventTypes });
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));

        Assert.True(plan.Any(line => line.Contains("events_by_patient", StringComparison.Ordinal)), string.Join("\n", plan));
    }
}
