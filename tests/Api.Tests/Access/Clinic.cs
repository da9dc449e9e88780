using NodaTime;
using Records.Api.Commands;
using Records.Domain;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using static Records.Api.Tests.WriteSideDatabase;

namespace Records.Api.Tests.Access;

/// <summary>Sets up the records a read test needs, through the write side, failing loudly if any step is refused.</summary>
public sealed class Clinic(CommandExecutor commands)
{
    public static readonly Actor Admin = new("admin-1", Role.Administrator, true);

    public async Task<CommandOutcome> RunAsync(string recordId, ICommand command)
    {
        var outcome = await commands.ExecuteAsync(recordId, command);
        Assert.True(outcome.IsAccepted, $"{command.GetType().Name} on {recordId}: {outcome.Rejection?.Code} {outcome.Rejection?.Message}");
        return outcome;
    }

    public async Task InstitutionAsync() =>
        await commands.ExecuteAsync(InstitutionId, new RegisterInstitution(
            Meta(Admin.Id, Admin.Role), InstitutionId, "Test Internet Hospital", "LIC-1", "Test People's Hospital", "330000", ["内科"]));

    public async Task<Actor> PhysicianAsync(string id)
    {
        await RunAsync(id, new RegisterPractitioner(Meta(Admin.Id, Admin.Role), id, "Dr " + id, Profession.Physician, "主治医师", TitleGrade.Intermediate,
            "REG-" + id, new LocalDate(2010, 1, 1)));
        await RunAsync(id, new Enrol(Meta(Admin.Id, Admin.Role), InstitutionId, EnrolmentKind.Registered, ["内科"]));
        return new Actor(id, Role.Physician, true);
    }

    public async Task<Actor> PatientAsync(string id)
    {
        await RunAsync(id, new RegisterPatient(Meta(Admin.Id, Admin.Role), id, "患者" + id, Sex.Female, new LocalDate(1975, 3, 1), new string('c', 64), "+86"));
        return new Actor(id, Role.Patient, true);
    }

    /// <summary>A follow-up the doctor has accepted (after real-name verification for it): an open consultation.</summary>
    public async Task<string> OpenConsultationAsync(Actor patient, Actor doctor)
    {
        var id = "c-" + Guid.NewGuid().ToString("N")[..10];
        await RunAsync(id, new RequestConsultation(Meta(patient.Id, Role.Patient), id, patient.Id, ConsultationKind.OnlineFollowUp, "内科", "复诊", false));
        await RunAsync(doctor.Id, new VerifyRealName(Meta(doctor.Id, Role.Physician), id, "face"));
        await RunAsync(id, new AcceptConsultation(Meta(doctor.Id, Role.Physician)));
        return id;
    }

    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];
}
