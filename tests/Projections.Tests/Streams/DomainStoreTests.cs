using NodaTime;
using Records.Domain;
using Records.Domain.Patient;
using Records.EventStore;
using Records.Projections.Streams;
using Records.Testing;

namespace Records.Projections.Tests.Streams;

public class DomainStoreTests(EventStoreDatabase database) : IClassFixture<EventStoreDatabase>
{
    private readonly DomainStore _store = new(new PostgresEventStore(database.App));
    private static readonly Instant Monday = Instant.FromUtc(2026, 11, 2, 1, 0);

    [Fact]
    public async Task A_decision_is_appended_with_the_commands_metadata_and_folds_back_into_the_same_state()
    {
        var patient = new StreamRef("patient", Guid.NewGuid().ToString("N"));
        var meta = new CommandMeta(new Domain.Actor("nurse-7", Role.Nurse, RealNameVerified: true), Monday, Guid.NewGuid());
        var register = new RegisterPatient(meta, patient.Id, "王小明", Sex.Male, new LocalDate(2022, 5, 1), new string('a', 64), "138-0000-0000");
        var decision = PatientDecider.Decide(register, PatientState.Initial, Context());
        Assert.True(decision.IsAccepted, decision.ToString());

        var result = await _store.AppendAsync(patient, 0, [.. decision.Events], meta, new CommandCircumstances { InstitutionId = "ih-1", PurposeOfUse = "registration" });
        var (state, version) = await _store.LoadAsync<PatientState, IPatientEvent>(patient, PatientState.Initial, PatientDecider.Evolve);

        // States hold lists, which records compare by reference: compare their JSON.
        Assert.Equal(Json(decision.Events.Aggregate(PatientState.Initial, PatientDecider.Evolve)), Json(state));
        Assert.Equal(result.LastVersion, version);
        var stored = await _store.Events.ReadStreamAsync(patient.StreamId).FirstAsync();
        Assert.Equal("patient", stored.StreamType);
        Assert.Equal(new EventStore.Actor("nurse-7", "nurse", true), stored.Metadata.Actor);
        Assert.Equal(meta.CommandId, stored.Metadata.CommandId);
        Assert.Equal("ih-1", stored.Metadata.InstitutionId);
        Assert.IsType<PatientRegistered>(_store.Deserialize(stored));
    }

    [Fact]
    public async Task A_decision_taken_on_a_stale_state_is_refused()
    {
        var patient = new StreamRef("patient", Guid.NewGuid().ToString("N"));
        var meta = new CommandMeta(new Domain.Actor("nurse-7", Role.Nurse, true), Monday, Guid.NewGuid());
        var events = PatientDecider.Decide(new RegisterPatient(meta, patient.Id, "李雷", Sex.Male, new LocalDate(1990, 1, 1), new string('b', 64), "x"),
            PatientState.Initial, Context()).Events;
        await _store.AppendAsync(patient, 0, [.. events], meta);

        var stale = await Assert.ThrowsAsync<ConcurrencyException>(() => _store.AppendAsync(patient, 0, [.. events], meta with { CommandId = Guid.NewGuid() }));
        Assert.Equal(1, stale.ActualVersion);
    }

    [Theory]
    [InlineData(Role.QualityManager, "qualityManager")]
    [InlineData(Role.Ai, "ai")]
    [InlineData(Role.Physician, "physician")]
    public void Roles_are_stored_as_the_domain_writes_them(Role role, string stored) => Assert.Equal(stored, DomainStore.RoleName(role));

    private static string Json(PatientState state) => System.Text.Json.JsonSerializer.Serialize(state, Domain.Serialization.DomainJson.Options);

    private static PatientContext Context() => new(Monday, new Domain.Rules.Regulation(Domain.Rules.RuleCatalog.Default, new Domain.Rules.Place("370000", "ih-1")), Domain.Signature.SignatureVerifiers.Default);
}
