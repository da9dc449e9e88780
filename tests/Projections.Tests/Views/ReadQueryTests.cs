using NodaTime;
using Records.Domain;
using Records.Domain.Consultation;
using Records.Domain.Prescription;
using Records.Domain.Signature;
using Records.Projections.Emr;
using Records.Projections.Runner;
using Records.Projections.Traceability;
using Records.Projections.Views;
using Records.Testing.Histories;
using static Records.Projections.Tests.Views.Scenario;

namespace Records.Projections.Tests.Views;

/// <summary>The read functions the API's queries call: batches of patients, the review queue, a document, a record's owner, a consultation's messages.</summary>
public class ReadQueryTests(ReadQueryTests.Views views) : IClassFixture<ReadQueryTests.Views>
{
    /// <summary>The <see cref="Scenario"/>, plus three signed prescriptions awaiting review (signed at minutes 61, 62, 63).</summary>
    public sealed class Views : HistoryDatabase
    {
        public static readonly string[] Queue = ["rx-q1", "rx-q2", "rx-q3"];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            await new Scenario(Store).WriteAsync();
            var doctor = new Actor(Doctor, Role.Physician, true);
            var lines = new List<PrescriptionLine> { new("Amlodipine", DrugClass.Ordinary, "tablet", "5 mg", 28, "tablet", "once daily", 28) };
            for (var i = 0; i < Queue.Length; i++)
            {
                var id = Queue[i];
                var hash = new string((char)('a' + i), 64);
                await Append("prescription", id, doctor,
                    new PrescriptionDrafted(id, Consultation, Patient, Doctor, [Hypertension], lines, false, null, hash, At(60), []));
                // The first signature names its subject by stream id, as SubjectRef says; the traces match both forms.
                await Append("signature", $"sig-{id}", doctor,
                    new SignatureRecorded($"sig-{id}", Doctor, new SubjectRef("prescription", i == 0 ? $"prescription-{id}" : id, 1), hash,
                        SignatureAlgorithm.EcdsaP256WithSha256, "fp-1", "MEUC", At(61 + i), At(61 + i), []));
                await Append("prescription", id, doctor, new PrescriptionSigned($"sig-{id}", At(61 + i), At(61 + i) + Duration.FromDays(3), []));
            }
            await using var runner = new ProjectionRunner(Store, [new EmrView(), new TraceabilityView()]);
            await runner.StartAsync();
            await WaitUntilCaughtUpAsync(runner, "emr", "traceability");
        }

        private Task Append(string type, string id, Actor actor, params IDomainEvent[] events) =>
            HistoryWriter.AppendStepAsync(Store, new HistoryStep(type, id, events, actor, Institution, null, 1));
    }

    private EmrQueries Emr => new(views.App);

    [Fact]
    public async Task Patients_and_their_prescriptions_come_in_one_query_each_for_a_whole_page()
    {
        var patients = await Emr.PatientsAsync([Patient, "pat-unknown"]);
        var prescriptions = await Emr.PrescriptionsOfPatientsAsync([Patient, "pat-unknown"]);

        Assert.Equal([Patient], patients.Keys);
        Assert.Equal("Zhang San", patients[Patient].Name);
        Assert.Equal([.. Views.Queue, Prescription], prescriptions[Patient].Select(p => p.PrescriptionId).Order());
        Assert.Equal("Delivered", prescriptions[Patient].Single(p => p.PrescriptionId == Prescription).Status);
        Assert.Empty(prescriptions["pat-unknown"]);
    }

    [Fact]
    public async Task The_review_queue_pages_forward_and_back_by_signing_time()
    {
        var first = await Emr.AwaitingReviewAsync(new PageRequest(First: 2));
        var rest = await Emr.AwaitingReviewAsync(new PageRequest(First: 2, After: first.EndCursor));
        var back = await Emr.AwaitingReviewAsync(new PageRequest(Last: 2, Before: rest.StartCursor));

        Assert.Equal(["rx-q1", "rx-q2"], first.Edges.Select(e => e.Node.Prescription.PrescriptionId));
        Assert.True(first is { HasNextPage: true, HasPreviousPage: false });
        Assert.Equal(["rx-q3"], rest.Edges.Select(e => e.Node.Prescription.PrescriptionId));
        Assert.True(rest is { HasNextPage: false, HasPreviousPage: true });
        Assert.Equal(["rx-q1", "rx-q2"], back.Edges.Select(e => e.Node.Prescription.PrescriptionId));
        Assert.All(first.Edges, e => Assert.Equal(Patient, e.Node.PatientId));
        Assert.Equal("cursor.invalid", (await Assert.ThrowsAsync<ViewQueryException>(() => Emr.AwaitingReviewAsync(new PageRequest(After: "%%")))).Code);
    }

    [Fact]
    public async Task A_document_comes_with_its_versions_and_its_patient_and_records_know_their_owner()
    {
        var document = await Emr.DocumentAsync(Document);

        Assert.NotNull(document);
        Assert.Equal(Patient, document.PatientId);
        Assert.Equal([null, "Dosage corrected"], document.Versions.Select(v => v.Reason));
        Assert.Null(await Emr.DocumentAsync("doc-unknown"));
        Assert.Equal(Patient, await Emr.OwnerAsync($"document-{Document}"));
        Assert.Equal(Patient, await Emr.OwnerAsync($"consultation-{Consultation}"));
        Assert.Null(await Emr.OwnerAsync("document-doc-unknown"));
    }

    [Fact]
    public async Task A_consultation_comes_with_every_message_and_its_evidence()
    {
        var queries = new TraceabilityQueries(views.App);
        var consultation = await queries.ConsultationAsync(Consultation);

        Assert.NotNull(consultation);
        Assert.Equal(["Readings 150/95", "Keep measuring", "Thank you"], consultation.Messages.Select(m => m.Text));
        Assert.Equal("HIS-42", Assert.Single(consultation.Evidence).DocumentRef);
        Assert.Null(await queries.ConsultationAsync("con-unknown"));
    }

    [Fact]
    public async Task A_prescription_trace_finds_signatures_naming_it_by_stream_id_or_by_id()
    {
        var queries = new TraceabilityQueries(views.App);

        foreach (var id in Views.Queue)
        {
            var trace = await queries.PrescriptionAsync(id);
            Assert.True(Assert.Single(trace!.Signatures).CoversExactly, id);
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task The_review_queue_reads_the_partial_index_of_signed_prescriptions(bool forward, bool afterCursor)
    {
        await using var connection = await views.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // The scenario's table is small enough for a scan to be cheapest; with scans priced out, the plan shows the index applies.
        await using (var off = new Npgsql.NpgsqlCommand("set local enable_seqscan = off", connection, transaction)) await off.ExecuteNonQueryAsync();
        await using var explain = new Npgsql.NpgsqlCommand("explain " + Emr.AwaitingReviewStatement(forward, afterCursor), connection, transaction)
        {
            Parameters = { new() { Value = At(61).ToDateTimeUtc() }, new() { Value = "rx-q1" }, new() { Value = 3 } },
        };
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));

        Assert.Contains(plan, line => line.Contains("prescriptions_awaiting_review", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("Sort", StringComparison.Ordinal));
    }
}
