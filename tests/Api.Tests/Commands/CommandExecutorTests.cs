using NodaTime;
using Records.Domain;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Rules;
using static Records.Api.Tests.WriteSideDatabase;

namespace Records.Api.Tests.Commands;

public sealed class CommandExecutorTests(WriteSideDatabase db) : IClassFixture<WriteSideDatabase>
{
    private static readonly string IdentityHash = new('a', 64);

    [Fact]
    public async Task An_accepted_command_answers_with_its_events_hashes_and_sequence_numbers()
    {
        var institution = "ih-" + Guid.NewGuid().ToString("N")[..8];
        var outcome = await db.Commands.ExecuteAsync(institution, new RegisterInstitution(
            Meta("admin-1", Role.Administrator), institution, "Test Internet Hospital", "LIC-1", "Test People's Hospital", "330000", ["内科"]));

        Assert.True(outcome.IsAccepted, outcome.Rejection?.Message);
        Assert.False(outcome.Replayed);
        Assert.Equal($"institution-{institution}", outcome.StreamId);
        var written = Assert.Single(outcome.Events);
        Assert.Equal("institution.registered.v1", written.EventType);
        Assert.Equal(1, written.Version);
        Assert.Matches("^[0-9a-f]{64}$", written.Hash);
        Assert.NotNull(written.Sequence);
        Assert.True(written.Sequence > 0);
    }

    [Fact]
    public async Task A_rule_stopping_a_command_is_answered_with_its_code_and_source()
    {
        var (_, patient) = await HospitalWithPatientAsync();

        var outcome = await db.Commands.ExecuteAsync("c-first", new RequestConsultation(
            Meta(patient, Role.Patient), "c-first", patient, ConsultationKind.OnlineFollowUp, "内科", "头痛", FirstVisit: true));

        Assert.False(outcome.IsAccepted);
        Assert.Empty(outcome.Events);
        Assert.Equal("visit.first_visit_online", outcome.Rejection!.Code);
        Assert.Equal(RuleIds.NoOnlineFirstVisit, outcome.Rejection.Rule!.Id);
        Assert.Contains("Art. 16", outcome.Rejection.Rule.Source);
        Assert.Equal(0, (await db.Domain.LoadAsync<ConsultationState, IConsultationEvent>(
            new("consultation", "c-first"), ConsultationState.Initial, ConsultationDecider.Evolve)).Version);
    }

    [Fact]
    public async Task A_retried_command_is_answered_from_its_first_result_and_writes_nothing()
    {
        var (_, patient) = await HospitalWithPatientAsync();
        var change = new ChangeContact(Meta(patient, Role.Patient), "+86 138 0000 0001");

        var first = await db.Commands.ExecuteAsync(patient, change);
        var retried = await db.Commands.ExecuteAsync(patient, change);

        Assert.True(first.IsAccepted);
        Assert.True(retried.Replayed);
        Assert.Equal(first.Events, retried.Events);
        var (_, version) = await db.Domain.LoadAsync<PatientState, IPatientEvent>(new("patient", patient), PatientState.Initial, PatientDecider.Evolve);
        Assert.Equal(2, version);
    }

    [Fact]
    public async Task A_retried_rejected_command_gets_the_same_rejection_even_once_it_would_pass()
    {
        var (_, patient) = await HospitalWithPatientAsync();
        var consultation = "c-" + Guid.NewGuid().ToString("N")[..8];
        var accept = new AcceptConsultation(Meta("dr-nobody", Role.Physician));

        var first = await db.Commands.ExecuteAsync(consultation, accept);
        await db.Commands.ExecuteAsync(consultation, new RequestConsultation(
            Meta(patient, Role.Patient), consultation, patient, ConsultationKind.OnlineAdvice, "内科", "咨询", FirstVisit: false));
        var retried = await db.Commands.ExecuteAsync(consultation, accept);

        Assert.Equal("consultation.not_found", first.Rejection!.Code);
        Assert.True(retried.Replayed);
        Assert.Equal(first.Rejection, retried.Rejection);
        Assert.Equal($"consultation-{consultation}", retried.StreamId);
    }

    [Fact]
    public async Task Concurrent_commands_on_one_stream_are_all_decided_in_turn()
    {
        var (_, patient) = await HospitalWithPatientAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            db.Commands.ExecuteAsync(patient, new ChangeContact(Meta(patient, Role.Patient), $"+86 138 0000 00{i:00}"))));

        Assert.All(outcomes, o => Assert.True(o.IsAccepted, o.Rejection?.Message));
        Assert.Equal(Enumerable.Range(2, 8).Select(v => (long)v), outcomes.Select(o => Assert.Single(o.Events).Version).Order());
        Assert.Equal(8, outcomes.Select(o => o.Events[0].Sequence).Distinct().Count());
    }

    [Fact]
    public async Task A_creating_command_for_another_record_id_is_refused()
    {
        var outcome = await db.Commands.ExecuteAsync("pt-other", new RegisterPatient(
            Meta("admin-1", Role.Administrator), "pt-one", "张三", Sex.Male, new LocalDate(1980, 1, 1), IdentityHash, "+86"));

        Assert.Equal("command.record_id_mismatch", outcome.Rejection!.Code);
    }

    private async Task<(string Institution, string Patient)> HospitalWithPatientAsync()
    {
        var patient = "pt-" + Guid.NewGuid().ToString("N")[..8];
        await db.Commands.ExecuteAsync(InstitutionId, new RegisterInstitution(
            Meta("admin-1", Role.Administrator), InstitutionId, "Test Internet Hospital", "LIC-1", "Test People's Hospital", "330000", ["内科"]));
        var registered = await db.Commands.ExecuteAsync(patient, new RegisterPatient(
            Meta("admin-1", Role.Administrator), patient, "张三", Sex.Male, new LocalDate(1980, 1, 1), IdentityHash, "+86 138 0000 0000"));
        Assert.True(registered.IsAccepted, registered.Rejection?.Message);
        return (InstitutionId, patient);
    }
}
