using NodaTime;
using Npgsql;
using Records.Api.Commands;
using Records.Domain;
using Records.Domain.RecordAccess;
using Records.Domain.Rules;
using Records.Projections.Streams;
using Records.Projections;

namespace Records.Api.Access;

/// <summary>What a reader asks for: whose data, which part, why, and a break-glass reason or a regulator's case when they need one.</summary>
/// <param name="Reason">Break-glass reason (clinicians without a care relationship), review reason (quality, legal), or a regulator's reason for the case.</param>
/// <param name="CaseReference">A regulator's case: inside one, with a reason, names are shown; outside, pseudonyms.</param>
/// <param name="Roles">The roles that may read this resource at all (null: every role the gate lets read patients' data).</param>
/// <param name="Identifying">The data names the patient in ways a pseudonym cannot hide (a record's raw history): a regulator reads it only inside a case.</param>
public sealed record ReadRequest(
    string PatientId, string Resource, PurposeOfUse Purpose, string? Reason = null, string? CaseReference = null, IReadOnlySet<Role>? Roles = null,
    bool Identifying = false);

/// <summary>How the data is shown: as recorded, or with the patient's identity replaced by a pseudonym.</summary>
public sealed record Disclosure(bool Pseudonymised, Pseudonymizer Pseudonyms)
{
    public string Id(string id) => Pseudonymised ? Pseudonyms.Of(id) : id;
}

/// <summary>The answer to a read: the data with the access event that records it, or why it was refused.</summary>
public sealed record AuditedRead<T>(T? Data, Guid? AccessEventId, bool Pseudonymised, Rejection? Refusal)
{
    public bool IsAllowed => Refusal is null;
}

/// <summary>
/// The gate every read of patient data passes. Patients read their own record (and their wards');
/// clinicians through a care relationship or a break-glass with a reason, flagged for review;
/// quality managers and legal staff with a reason; regulators see pseudonymised data, and names only
/// inside a case opened with a reason. The read is appended as a record-access event before the
/// data is loaded: if that write fails, no data leaves. Refusals are recorded too.
/// </summary>
public sealed class AuditedReads(CommandExecutor commands, CareRelationships care, Pseudonymizer pseudonyms, Regulation regulation, IClock clock)
{
    /// <param name="commandId">The read's id, when the caller must be able to repeat it without recording it twice; new by default.</param>
    public async Task<AuditedRead<T>> ReadAsync<T>(Actor actor, ReadRequest request, Func<Disclosure, CancellationToken, Task<T>> load, CancellationToken cancellationToken,
        Guid? commandId = null)
    {
        var now = clock.GetCurrentInstant();
        var meta = new CommandMeta(actor, now, commandId ?? Guid.NewGuid());
        var accessId = meta.CommandId.ToString("N");
        var (reason, pseudonymised, refusal) = await BasisAsync(actor, request, now, cancellationToken);
        var read = new RecordRead(meta, accessId, request.PatientId, request.Resource, request.Purpose, reason);
        var circumstances = new CommandCircumstances { InstitutionId = regulation.Place.InstitutionId, PurposeOfUse = Purpose(request.Purpose) };

        CommandOutcome outcome;
        try
        {
            outcome = refusal is null
                ? await commands.ExecuteAsync(accessId, read, circumstances, cancellationToken)
                : await commands.RefuseAsync(accessId, read, refusal, circumstances, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or Records.EventStore.EventStoreException)
        {
            return new(default, null, pseudonymised, new Rejection("access.audit_unavailable",
                "The read could not be recorded in the access log, so no data is returned; try again later."));
        }

        if (outcome.Rejection is { } rejected) return new(default, null, pseudonymised, rejected);
        return new(await load(new Disclosure(pseudonymised, pseudonyms), cancellationToken), outcome.Events[0].EventId, pseudonymised, null);
    }

    /// <summary>
    /// Lets <paramref name="actor"/> ask for <paramref name="resource"/>, data that names no patient (indicators, the register),
    /// if their role is among <paramref name="roles"/>; otherwise records the refused attempt and says why.
    /// </summary>
    public async Task<Rejection?> AuthorizeAsync(Actor actor, string resource, IReadOnlySet<Role> roles, CancellationToken cancellationToken)
    {
        if (roles.Contains(actor.Role)) return null;
        var refusal = RoleRefusal(actor.Role, resource);
        var meta = new CommandMeta(actor, clock.GetCurrentInstant(), Guid.NewGuid());
        var accessId = meta.CommandId.ToString("N");
        try
        {
            await commands.RefuseAsync(accessId, new RecordRead(meta, accessId, "", resource, DefaultPurpose(actor.Role), null), refusal,
                new CommandCircumstances { InstitutionId = regulation.Place.InstitutionId }, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or Records.EventStore.EventStoreException)
        {
            // The refusal stands whether or not it could be written down.
        }
        return refusal;
    }

    /// <summary>Why a person reads when they do not say: their role's usual purpose.</summary>
    public static PurposeOfUse DefaultPurpose(Role role) => role switch
    {
        Role.Patient => PurposeOfUse.PatientRequest,
        Role.Regulator => PurposeOfUse.Regulation,
        Role.Legal => PurposeOfUse.Legal,
        Role.QualityManager => PurposeOfUse.QualityReview,
        _ => PurposeOfUse.Treatment,
    };

    private static Rejection RoleRefusal(Role role, string resource) =>
        new("access.role_not_allowed", $"The {RoleWords(role)} role does not read {resource.Replace('.', ' ').Replace('_', ' ')}.");

    private static string Purpose(PurposeOfUse purpose) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(purpose.ToString());

    /// <summary>The reason to record, whether the answer is pseudonymised, or why the role may not read at all.</summary>
    private async Task<(string? Reason, bool Pseudonymised, Rejection? Refusal)> BasisAsync(Actor actor, ReadRequest request, Instant now, CancellationToken ct)
    {
        if (request.Roles is { } roles && !roles.Contains(actor.Role)) return (null, false, RoleRefusal(actor.Role, request.Resource));
        switch (actor.Role)
        {
            case Role.Patient:
                return await care.HasAsync(actor, request.PatientId, now, ct)
                    ? (null, false, null)
                    : (null, false, new Rejection("access.not_your_record", "Patients read their own record and their wards' records only."));
            case Role.Physician or Role.Pharmacist or Role.Nurse or Role.QualityManager or Role.Legal:
                // Without a care relationship the domain asks for the reason and flags the read for review.
                return (request.Reason, false, null);
            case Role.Regulator:
                return !string.IsNullOrWhiteSpace(request.CaseReference) && !string.IsNullOrWhiteSpace(request.Reason)
                    ? ($"Case {request.CaseReference}: {request.Reason}", false, null)
                    : request.Identifying
                        ? (null, true, new Rejection("access.case_required", "This data names the patient: a regulator reads it inside a case, giving the case and a reason."))
                        : (null, true, null); // by supervision mandate (see CareRelationships.ReadsByRightAsync)
            default:
                return (null, false, new Rejection("access.role_not_allowed", $"The {RoleWords(actor.Role)} role does not read patients' data."));
        }
    }

    private static string RoleWords(Role role) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(role.ToString()).Replace('_', ' ');
}
