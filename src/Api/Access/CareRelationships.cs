using NodaTime;
using Records.Api.Commands;
using Records.Domain;
using Records.Domain.Patient;
using Records.Domain.RecordAccess;
using Records.Projections.Streams;

namespace Records.Api.Access;

/// <summary>
/// Whether a person has a care relationship with a patient now: the patient or their guardian; the
/// doctor of an open consultation, or of one that ended within <see cref="AccessOptions.RecentCare"/>;
/// a pharmacist while one of the patient's prescriptions awaits review, or within that period after
/// they reviewed one. Anyone else reads only by break-glass.
/// </summary>
public sealed class CareRelationships(DomainStore store, PatientLinks links, AccessOptions options)
{
    /// <summary>
    /// Whether a read needs no break-glass: the reader has a care relationship (or reads their own record), or it is
    /// a regulator's pseudonymised supervision read (no reason given, so names stay hidden). That one is by mandate,
    /// not a clinician reading without a care relationship, which is what REGULATION.md indicator 20 counts. A
    /// regulator's case read shows names, so it gives its reason and is flagged and reviewed like a break-glass.
    /// </summary>
    public Task<bool> ReadsByRightAsync(RecordRead read, Instant now, CancellationToken cancellationToken) =>
        read.Meta.Actor.Role == Role.Regulator && string.IsNullOrWhiteSpace(read.BreakGlassReason)
            ? Task.FromResult(true)
            : HasAsync(read.Meta.Actor, read.PatientId, now, cancellationToken);

    public async Task<bool> HasAsync(Actor actor, string patientId, Instant now, CancellationToken cancellationToken)
    {
        if (actor.Id == patientId) return true;
        switch (actor.Role)
        {
            case Role.Patient:
                var (patient, _) = await store.LoadAsync<PatientState, IPatientEvent>(
                    new StreamRef("patient", patientId), PatientState.Initial, PatientDecider.Evolve, cancellationToken: cancellationToken);
                return patient.Guardian?.GuardianId == actor.Id;
            case Role.Physician:
                return (await links.ConsultationsAsync(patientId, cancellationToken))
                    .Any(c => c.DoctorId == actor.Id && (c.EndedAt is null || now - c.EndedAt.Value <= options.RecentCare));
            case Role.Pharmacist:
                return (await links.PrescriptionsAsync(patientId, cancellationToken))
                    .Any(p => p.AwaitingReview || (p.ReviewerId == actor.Id && now - p.ReviewedAt!.Value <= options.RecentCare));
            default:
                return false;
        }
    }
}
