using Records.Api.Commands;
using Records.Domain.Consultation;
using Records.Domain.Patient;
using Records.Domain.Prescription;
using Records.Projections.Streams;

namespace Records.Api.Access;

/// <summary>A patient's record as the API shows it: who they are (or their pseudonym), their consultations and prescriptions.</summary>
/// <param name="BirthYear">Only the year, so a pseudonymised record still supports age-based indicators.</param>
public sealed record PatientRecord(
    string PatientId, bool Registered, string? Name, string? Sex, int? BirthYear, string? GuardianId,
    IReadOnlyList<ConsultationSummary> Consultations, IReadOnlyList<PrescriptionSummary> Prescriptions);

public sealed record ConsultationSummary(string ConsultationId, string Kind, string Status, string Subject, string? DoctorId, IReadOnlyList<string> Diagnoses);

public sealed record PrescriptionSummary(string PrescriptionId, string ConsultationId, string Status, string PrescriberId, string? ReviewerId);

/// <summary>
/// Loads a patient's record from the event streams (current to the last write, unlike a view), shown
/// as the <see cref="Disclosure"/> says. Call it only through <see cref="AuditedReads"/>.
/// </summary>
public sealed class PatientRecords(DomainStore store, PatientLinks links)
{
    public const string Resource = "patient.record";

    public async Task<PatientRecord> LoadAsync(string patientId, Disclosure disclosure, CancellationToken ct)
    {
        var (patient, _) = await store.LoadAsync<PatientState, IPatientEvent>(new("patient", patientId), PatientState.Initial, PatientDecider.Evolve, cancellationToken: ct);
        var consultations = new List<ConsultationSummary>();
        foreach (var link in await links.ConsultationsAsync(patientId, ct))
        {
            var (c, _) = await store.LoadAsync<ConsultationState, IConsultationEvent>(
                new("consultation", link.ConsultationId), ConsultationState.Initial, ConsultationDecider.Evolve, cancellationToken: ct);
            consultations.Add(new(c.Id, Words(c.Kind), Words(c.Status), c.Subject, c.DoctorId, c.Diagnoses.Select(d => $"{d.Icd10} {d.Text}").ToList()));
        }
        var prescriptions = new List<PrescriptionSummary>();
        foreach (var prescriptionId in await links.PrescriptionIdsAsync(patientId, ct))
        {
            var (p, _) = await store.LoadAsync<PrescriptionState, IPrescriptionEvent>(
                new("prescription", prescriptionId), PrescriptionState.Initial, PrescriptionDecider.Evolve, cancellationToken: ct);
            prescriptions.Add(new(p.Id, p.ConsultationId, Words(p.Status), p.PrescriberId, p.ReviewerId));
        }

        var hidden = disclosure.Pseudonymised;
        return new PatientRecord(disclosure.Id(patientId), patient.Registered, hidden ? null : patient.Name, Words(patient.Sex),
            patient.Registered ? patient.DateOfBirth.Year : null, hidden || patient.Guardian is null ? null : patient.Guardian.GuardianId,
            consultations, prescriptions);
    }

    private static string Words<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
