using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Records.Api.Commands;
using Records.Api.Hosting;
using Records.Api.Tests.Access;
using Records.Domain;
using Records.Domain.Consultation;
using Records.Domain.Prescription;
using static Records.Api.Tests.WriteSideDatabase;

namespace Records.Api.Tests.Reads;

/// <summary>
/// A page of patients with their prescriptions costs the same number of view queries whatever its size:
/// statements are counted at the Npgsql level (its activity source), per request by the trace id the request carries.
/// </summary>
public sealed partial class BatchingTests(RecordsHostFixture host) : IClassFixture<RecordsHostFixture>, IDisposable
{
    private readonly ConcurrentBag<(ActivityTraceId Trace, string Sql)> _statements = [];
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    private const string Page = """
        query($first: Int!) { myPatients(first: $first) { edges { node { patientId name prescriptions { prescriptionId status } } } pageInfo { hasNextPage } } }
        """;

    [Fact]
    public async Task A_page_of_50_patients_with_their_prescriptions_costs_the_view_queries_of_a_page_of_10()
    {
        var doctor = await CareForAsync(50);
        var client = new GraphQLClient(host);
        _listener.ActivityStopped = activity =>
        {
            if (activity.Source.Name == "Npgsql" && (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql)
                _statements.Add((activity.TraceId, sql));
        };
        ActivitySource.AddActivityListener(_listener);

        var (small, smallTrace) = await PageAsync(client, doctor, 10);
        var (large, largeTrace) = await PageAsync(client, doctor, 50);

        Assert.Equal(10, small.GetProperty("edges").GetArrayLength());
        var edges = large.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        Assert.Equal(50, edges.Count);
        Assert.All(edges, node => Assert.Equal("Drafted", Assert.Single(node.GetProperty("prescriptions").EnumerateArray()).GetProperty("status").GetString()));
        Assert.All(edges, node => Assert.StartsWith("患者", node.GetProperty("name").GetString()));

        var smallViews = ViewStatements(smallTrace);
        var largeViews = ViewStatements(largeTrace);
        Assert.Equal(smallViews.Count, largeViews.Count);
        Assert.Equal(3, largeViews.Count); // the care list, the patients, their prescriptions
        // The regulation asks for one recorded read per patient: the audit is the part that grows with the page.
        Assert.Equal(10 + 50, await RecordedReadsAsync(doctor));
    }

    private async Task<long> RecordedReadsAsync(Actor reader)
    {
        await using var count = host.Admin.CreateCommand("select count(*) from eventstore.events where stream_type = 'record_access' and actor_id = $1");
        count.Parameters.Add(new() { Value = reader.Id });
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private List<string> ViewStatements(ActivityTraceId trace) =>
        [.. _statements.Where(s => s.Trace == trace && ViewSchema().IsMatch(s.Sql)).Select(s => s.Sql)];

    private static async Task<(System.Text.Json.JsonElement Page, ActivityTraceId Trace)> PageAsync(GraphQLClient client, Actor doctor, int first)
    {
        var trace = ActivityTraceId.CreateRandom();
        var body = await client.PostAsync(doctor, Page, new { first }, $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
        return (body.GetProperty("data").GetProperty("myPatients"), trace);
    }

    /// <summary>A physician with an accepted follow-up and a drafted prescription for each of <paramref name="count"/> patients.</summary>
    private async Task<Actor> CareForAsync(int count)
    {
        var services = host.Host.App.Services;
        var clinic = new Clinic(services.GetRequiredService<CommandExecutor>());
        await clinic.InstitutionAsync();
        var doctor = await clinic.PhysicianAsync(Clinic.NewId("dr-"));
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var patient = await clinic.PatientAsync(Clinic.NewId($"pb{i:00}-"));
            var visit = await clinic.OpenConsultationAsync(patient, doctor);
            await clinic.RunAsync(visit, new AttachOfflineEvidence(Meta(patient.Id, Role.Patient), EvidenceKind.OutpatientRecord, "HIS-" + i, new string('d', 64), "市第一人民医院",
                [new Diagnosis("I10", "原发性高血压")]));
            await clinic.RunAsync(visit, new RecordDiagnosis(Meta(doctor.Id, Role.Physician), new Diagnosis("I10.x01", "高血压病1级")));
            var prescriptionId = Clinic.NewId("rx-");
            await clinic.RunAsync(prescriptionId, new DraftPrescription(Meta(doctor.Id, Role.Physician), prescriptionId, visit, [new Diagnosis("I10.x01", "高血压病1级")],
                [new PrescriptionLine("苯磺酸氨氯地平片", DrugClass.Ordinary, "片剂", "5mg", 28, "片", "每日一次", 28)], false, "慢性病长期用药"));
        });
        Assert.True(await services.GetRequiredService<ProjectionService>().CatchUpAsync(ProjectionService.Emr, TimeSpan.FromSeconds(30), CancellationToken.None));
        return doctor;
    }

    public void Dispose() => _listener.Dispose();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w.])(emr|access)\.\w")]
    private static partial System.Text.RegularExpressions.Regex ViewSchema();
}
