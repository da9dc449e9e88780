using System.Text.Json;
using NodaTime;
using Records.Domain;
using Records.Domain.ClinicalDocument;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Prescription;
using Records.Domain.Serialization;
using Records.Projections.AsOf;
using Records.Projections.Emr;
using Records.Projections.Runner;
using Records.Projections.Streams;

namespace Records.Projections.Tests.Views;

public class AsOfTests : IAsyncLifetime
{
    private readonly HistoryDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_patients_record_as_of_an_instant_equals_folding_the_events_recorded_up_to_it()
    {
        var steps = HistoryDatabase.History(seed: 11, patients: 40);
        await _database.AppendAsync(steps.Take(steps.Count / 2));
        var at = Instant.FromDateTimeUtc(await _database.ScalarAsync<DateTime>("select max(recorded_at) from eventstore.events"));
        await Task.Delay(5);
        await _database.AppendAsync(steps.Skip(steps.Count / 2));
        await using var runner = new ProjectionRunner(_database.Store, [new EmrView()]);
        await runner.StartAsync();
        await _database.WaitUntilCaughtUpAsync(runner, "emr");

        var store = new DomainStore(_database.Store);
        var asOf = new AsOfRecords(store, _database.App);
        int registeredThen = 0, changedSince = 0;
        for (var number = 1; number <= 40; number++)
        {
            var patientId = $"pat-{number}";
            var record = await asOf.PatientAsync(patientId, at);
            var folded = await FoldUpToAsync(store, patientId, at);
            Assert.Equal(folded, record is null ? null : Json(record));
            if (record is null) continue;
            registeredThen++;
            if (Json(record) != await FoldUpToAsync(store, patientId, Instant.MaxValue)) changedSince++;
        }
        Assert.InRange(registeredThen, 1, 39); // some patients came after the instant
        Assert.True(changedSince > 0, "some records should have changed after the instant");
    }

    /// <summary>The oracle: every event of the patient's streams read back, those recorded up to the instant folded in memory.</summary>
    private async Task<string?> FoldUpToAsync(DomainStore store, string patientId, Instant at)
    {
        async Task<List<IDomainEvent>> Events(string streamId) =>
            await store.Events.ReadStreamAsync(streamId).Where(e => e.RecordedAt <= at).Select(store.Deserialize).ToListAsync();

        var patient = await Events($"patient-{patientId}");
        if (patient.Count == 0) return null;
        var owned = new List<string>();
        await using (var command = _database.App.CreateCommand("select stream_id from emr.record_owners where patient_id = $1 order by stream_id"))
        {
            command.Parameters.Add(new() { Value = patientId });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) owned.Add(reader.GetString(0));
        }
        var consents = new List<ConsentState>();
        var consultations = new List<ConsultationState>();
        var prescriptions = new List<PrescriptionState>();
        var documents = new List<ClinicalDocumentState>();
        foreach (var streamId in owned)
        {
            var events = await Events(streamId);
            if (events.Count == 0) continue;
            switch (events[0])
            {
                case IConsentEvent: consents.Add(events.Cast<IConsentEvent>().Aggregate(ConsentState.Initial, ConsentDecider.Evolve)); break;
                case IConsultationEvent: consultations.Add(events.Cast<IConsultationEvent>().Aggregate(ConsultationState.Initial, ConsultationDecider.Evolve)); break;
                case IPrescriptionEvent: prescriptions.Add(events.Cast<IPrescriptionEvent>().Aggregate(PrescriptionState.Initial, PrescriptionDecider.Evolve)); break;
                case IClinicalDocumentEvent: documents.Add(events.Cast<IClinicalDocumentEvent>().Aggregate(ClinicalDocumentState.Initial, ClinicalDocumentDecider.Evolve)); break;
            }
        }
        var state = patient.Cast<Records.Domain.Patient.IPatientEvent>().Aggregate(Records.Domain.Patient.PatientState.Initial, Records.Domain.Patient.PatientDecider.Evolve);
        return Json(new PatientRecordAsOf(at, state, consents, consultations, prescriptions, documents));
    }

    /// <summary>States hold immutable collections (compared by reference), so records are compared by their JSON.</summary>
    private static string Json(PatientRecordAsOf record) => JsonSerializer.Serialize(record with { At = default }, DomainJson.Options);
}
