using Records.Api.Access;
using Records.Domain;
using Records.Domain.RecordAccess;
using Records.Domain.Rules;

namespace Records.Api.Tests.Access;

public sealed class AuditedReadsTests(WriteSideDatabase db) : IClassFixture<WriteSideDatabase>
{
    private readonly Clinic _clinic = new(db.Commands);

    private int _loads;

    private async Task<AuditedRead<PatientRecord>> ReadAsync(Actor reader, string patientId, PurposeOfUse purpose = PurposeOfUse.Treatment,
        string? reason = null, string? caseReference = null) =>
        await db.Reads.ReadAsync(reader, new ReadRequest(patientId, PatientRecords.Resource, purpose, reason, caseReference), (disclosure, ct) =>
        {
            _loads++;
            return db.Records.LoadAsync(patientId, disclosure, ct);
        }, CancellationToken.None);

    /// <summary>The access event a read wrote, as the domain recorded it.</summary>
    private async Task<PatientDataRead> RecordedReadAsync(Guid eventId)
    {
        await using var command = db.App.CreateCommand("select stream_id from eventstore.events where event_id = $1");
        command.Parameters.Add(new() { Value = eventId });
        var stream = (string)(await command.ExecuteScalarAsync())!;
        await foreach (var e in db.Store.ReadStreamAsync(stream)) return (PatientDataRead)db.Domain.Deserialize(e);
        throw new InvalidOperationException("no event");
    }

    [Fact]
    public async Task A_patient_reads_their_own_record_and_the_read_is_recorded_first()
    {
        await _clinic.InstitutionAsync();
        var patient = await _clinic.PatientAsync(Clinic.NewId("pt-"));

        var read = await ReadAsync(patient, patient.Id, PurposeOfUse.PatientRequest);

        Assert.True(read.IsAllowed, read.Refusal?.Message);
        Assert.Equal(patient.Id, read.Data!.PatientId);
        Assert.Equal("患者" + patient.Id, read.Data.Name);
        var recorded = await RecordedReadAsync(read.AccessEventId!.Value);
        Assert.Equal((patient.Id, patient.Id, true, (string?)null), (recorded.PatientId, recorded.ReaderId, recorded.CareRelationship, recorded.BreakGlassReason));
    }

    [Fact]
    public async Task A_patient_may_not_read_another_patients_record_and_the_attempt_is_recorded()
    {
        await _clinic.InstitutionAsync();
        var patient = await _clinic.PatientAsync(Clinic.NewId("pt-"));
        var other = await _clinic.PatientAsync(Clinic.NewId("pt-"));

        var read = await ReadAsync(patient, other.Id, PurposeOfUse.PatientRequest);

        Assert.Equal("access.not_your_record", read.Refusal!.Code);
        Assert.Null(read.Data);
        Assert.Equal(0, _loads);
        await using var command = db.App.CreateCommand(
            "select count(*) from eventstore.events where stream_type = 'command_rejection' and actor_id = $1 and data->>'code' = 'access.not_your_record'");
        command.Parameters.Add(new() { Value = patient.Id });
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_doctor_of_an_open_consultation_reads_without_break_glass()
    {
        await _clinic.InstitutionAsync();
        var patient = await _clinic.PatientAsync(Clinic.NewId("pt-"));
        var doctor = await _clinic.PhysicianAsync(Clinic.NewId("dr-"));
        var consultation = await _clinic.OpenConsultationAsync(patient, doctor);

        var read = await ReadAsync(doctor, patient.Id);

        Assert.True(read.IsAllowed, read.Refusal?.Message);
        Assert.Equal(consultation, Assert.Single(read.Data!.Consultations).ConsultationId);
        var recorded = await RecordedReadAsync(read.AccessEventId!.Value);
        Assert.True(recorded.CareRelationship);
        Assert.Empty(recorded.Flags);
    }

    [Fact]
    public async Task A_doctor_without_a_care_relationship_needs_a_break_glass_reason_and_that_read_is_flagged()
    {
        await _clinic.InstitutionAsync();
        var patient = await _clinic.PatientAsync(Clinic.NewId("pt-"));
        var doctor = await _clinic.PhysicianAsync(Clinic.NewId("dr-"));

        var refused = await ReadAsync(doctor, patient.Id);
        var breakGlass = await ReadAsync(doctor, patient.Id, PurposeOfUse.Emergency, reason: "Unconscious patient brought to the ED");

        Assert.Equal("access.break_glass_reason_required", refused.Refusal!.Code);
        Assert.Equal(RuleIds.BreakGlassReason, refused.Refusal.Rule!.Id);
        Assert.True(breakGlass.IsAllowed, breakGlass.Refusal?.Message);
        Assert.Equal(1, _loads);
        var recorded = await RecordedReadAsync(breakGlass.AccessEventId!.Value);
        Assert.False(recorded.CareRelationship);
        Assert.Equal("Unconscious patient brought to the ED", recorded.BreakGlassReason);
        Assert.Contains(recorded.Flags, f => f.RuleId == RuleIds.NoCareRelationship);
    }

    [Fact]
    public async Task A_regulator_sees_pseudonyms_outside_a_case_and_names_inside_one()
    {
        await _clinic.InstitutionAsync();
        var patient = await _clinic.PatientAsync(Clinic.NewId("pt-"));
        var regulator = new Actor("reg-1", Role.Regulator, true);

        var supervision = await ReadAsync(regulator, patient.Id, PurposeOfUse.Regulation);
        var inCase = await ReadAsync(regulator, patient.Id, PurposeOfUse.Regulation, reason: "Complaint about a prescription", caseReference: "NX-2026-17");

        Assert.True(supervision.Pseudonymised);
        Assert.Equal(db.Pseudonyms.Of(patient.Id), supervision.Data!.PatientId);
        Assert.DoesNotContain(patient.Id, supervision.Data.PatientId);
        Assert.Null(supervision.Data.Name);
        Assert.False(inCase.Pseudonymised);
        Assert.Equal(patient.Id, inCase.Data!.PatientId);
        Assert.Equal("患者" + patient.Id, inCase.Data.Name);
        Assert.Equal("Case NX-2026-17: Complaint about a prescription", (await RecordedReadAsync(inCase.AccessEventId!.Value)).BreakGlassReason);
    }

    [Theory]
    [InlineData(Role.Integrator)]
    [InlineData(Role.Administrator)]
    public async Task Integrators_and_administrators_do_not_read_patient_data(Role role)
    {
        await _clinic.InstitutionAsync();
        var patient = await _clinic.PatientAsync(Clinic.NewId("pt-"));

        var read = await ReadAsync(new Actor("someone", role, true), patient.Id, reason: "curious");

        Assert.Equal("access.role_not_allowed", read.Refusal!.Code);
        Assert.Equal(0, _loads);
    }
}

/// <summary>A database where the access log cannot be written: reads must return no data.</summary>
public sealed class AuditFailureTests(WriteSideDatabase db) : IClassFixture<WriteSideDatabase>
{
    [Fact]
    public async Task When_the_read_cannot_be_recorded_no_data_is_returned()
    {
        var clinic = new Clinic(db.Commands);
        await clinic.InstitutionAsync();
        var patient = await clinic.PatientAsync(Clinic.NewId("pt-"));
        await using (var revoke = db.Admin.CreateCommand("revoke insert on eventstore.events, eventstore.commands from eventstore_writer"))
            await revoke.ExecuteNonQueryAsync();
        var loaded = false;

        var read = await db.Reads.ReadAsync(patient, new ReadRequest(patient.Id, PatientRecords.Resource, PurposeOfUse.PatientRequest), (disclosure, ct) =>
        {
            loaded = true;
            return db.Records.LoadAsync(patient.Id, disclosure, ct);
        }, CancellationToken.None);

        Assert.Equal("access.audit_unavailable", read.Refusal!.Code);
        Assert.False(loaded);
        Assert.Null(read.Data);
    }
}
