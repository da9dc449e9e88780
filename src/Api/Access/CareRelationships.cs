using NodaTime;
using Records.Api.Commands;
using Records.Domain;
using Records.Domain.RecordAccess;
using Records.Projections.Access;

namespace Records.Api.Access;

/// <summary>
/// Whether a person has a care relationship with a patient now, by <see cref="CareLedger"/> (the definition the access view
/// uses too) over the patient's records as the log holds them at this moment, so a read right after a write sees it; a
/// relationship lasts <see cref="AccessOptions.RecentCare"/> after its record ends. Anyone else reads only by break-glass.
/// </summary>
public sealed class CareRelationships(PatientLinks links, AccessOptions options)
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
        var ledger = new CareLedger();
        foreach (var e in await links.CareEventsAsync(patientId, cancellationToken)) ledger.Apply(e.StreamId, e.Event, e.EventId, sequence: null);
        return ledger.Opened.Any(r => r.Admits(actor) && r.InForceAt(now, options.RecentCare));
    }
}
