using Records.Api.Access;
using Records.Api.Hosting;
using Records.Domain;
using Records.Domain.RecordAccess;
using Records.GraphQL;
using Records.GraphQL.Types;
using Records.Projections.Emr;
using Records.Projections.Regulator;
using Records.Projections.Views;

namespace Records.Api.Schema;

/// <summary>
/// How the read side's resolvers reach data: patients' data through <see cref="AuditedReads"/> (recorded
/// before it is returned; a refusal is a coded error and is recorded too), other data after a role check,
/// and views once they hold every event numbered when the read began.
/// </summary>
public static class ReadGate
{
    /// <summary>The arguments of a read of patient data: why, and a break-glass reason or a regulator's case.</summary>
    public static IReadOnlyList<InputValueDefinition> AccessArguments(CommonTypes common) =>
    [
        new("purpose", common.PurposeOfUse) { Description = "Why you read; your role's usual purpose if left out." },
        new("reason", ScalarType.String) { Description = "A break-glass reason (no care relationship), or the reason of a regulator's case." },
        new("case", ScalarType.String) { Description = "A regulator's case reference: with a reason, names are shown instead of pseudonyms." },
    ];

    /// <summary>
    /// Reads <paramref name="patientId"/>'s data through the audited gate, as the field's access arguments ask;
    /// <paramref name="roles"/> are the roles that may read this resource at all; <paramref name="identifying"/> data a regulator reads only in a case.
    /// </summary>
    public static async Task<T> AuditedAsync<T>(this ResolveContext ctx, string patientId, string resource, IReadOnlySet<Role> roles,
        Func<Disclosure, CancellationToken, Task<T>> load, bool identifying = false)
    {
        var actor = ctx.ActorOf();
        var request = new ReadRequest(patientId, resource, ctx.Argument<PurposeOfUse?>("purpose") ?? AuditedReads.DefaultPurpose(actor.Role),
            ctx.Argument<string>("reason"), ctx.Argument<string>("case"), roles, identifying);
        var read = await ctx.Service<AuditedReads>().ReadAsync(actor, request, load, ctx.CancellationToken);
        return read.Refusal is { } refusal ? throw SchemaContext.ErrorOf(refusal) : read.Data!;
    }

    /// <summary>
    /// Reads a record named by id (<paramref name="streamType"/>, <paramref name="recordId"/>) whose patient <paramref name="ownerOf"/> finds.
    /// The read is recorded, or refused, before anyone learns whether the record exists: a record that does not exist is read as one
    /// of no patient, so a caller without rights gets the same refusal (code and message) for it as for a record not theirs, and the
    /// attempt is in the access log either way. Only a caller the gate lets read learns <c>read.not_found</c>, after the read is recorded.
    /// </summary>
    public static async Task<T> AuditedRecordAsync<T>(this ResolveContext ctx, string streamType, string recordId, string resource, IReadOnlySet<Role> roles,
        Func<CancellationToken, Task<string?>> ownerOf, Func<string, Disclosure, CancellationToken, Task<T>> load, bool identifying = false)
    {
        var owner = await ownerOf(ctx.CancellationToken);
        return await ctx.AuditedAsync(owner ?? NoPatient, resource, roles,
            (disclosure, ct) => owner is null ? throw NotFound(streamType, recordId) : load(owner, disclosure, ct), identifying);
    }

    /// <summary>Like <see cref="AuditedRecordAsync{T}(ResolveContext, string, string, string, IReadOnlySet{Role}, Func{CancellationToken, Task{string?}}, Func{string, Disclosure, CancellationToken, Task{T}}, bool)"/>, the patient found in the EMR view's record owners.</summary>
    public static Task<T> AuditedRecordAsync<T>(this ResolveContext ctx, string streamType, string recordId, string resource, IReadOnlySet<Role> roles,
        Func<string, Disclosure, CancellationToken, Task<T>> load, bool identifying = false) =>
        ctx.AuditedRecordAsync(streamType, recordId, resource, roles,
            _ => ctx.ViewAsync(ProjectionService.Emr, ct => ctx.Service<EmrQueries>().OwnerAsync($"{streamType}-{recordId}", ct)), load, identifying);

    /// <summary>Whom the read of a record that does not exist is recorded against: no patient (as a read of data that names none).</summary>
    private const string NoPatient = "";

    /// <summary>
    /// Records one read of <paramref name="resource"/> per patient (a page spanning patients), a few at a time; the
    /// caller loads the allowed patients' data in one query afterwards. Returns the refusals, by patient.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, Rejection>> AuditEachAsync(this ResolveContext ctx, IReadOnlyList<string> patientIds, string resource,
        IReadOnlySet<Role> roles, CancellationToken cancellationToken)
    {
        var actor = ctx.ActorOf();
        var reads = ctx.Service<AuditedReads>();
        var purpose = AuditedReads.DefaultPurpose(actor.Role);
        var refusals = new System.Collections.Concurrent.ConcurrentDictionary<string, Rejection>();
        await Parallel.ForEachAsync(patientIds.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (patientId, ct) =>
        {
            var read = await reads.ReadAsync(actor, new ReadRequest(patientId, resource, purpose, Roles: roles), (_, _) => Task.FromResult(true), ct);
            if (read.Refusal is { } refusal) refusals[patientId] = refusal;
        });
        return refusals;
    }

    /// <summary>Lets the reader on if their role is among <paramref name="roles"/>; else records the attempt and answers with a coded error.</summary>
    public static async Task AuthorizeAsync(this ResolveContext ctx, string resource, IReadOnlySet<Role> roles)
    {
        if (await ctx.Service<AuditedReads>().AuthorizeAsync(ctx.ActorOf(), resource, roles, ctx.CancellationToken) is { } refusal)
            throw SchemaContext.ErrorOf(refusal);
    }

    /// <summary>
    /// Runs a view query once <paramref name="view"/> holds every event numbered before it (so a read sees the
    /// writes that came before it, within the configured wait); a bad argument becomes a coded error.
    /// </summary>
    public static async Task<T> ViewAsync<T>(this ResolveContext ctx, string view, Func<CancellationToken, Task<T>> query)
    {
        var views = ctx.Service<ProjectionService>();
        await views.CatchUpAsync(view, views.ReadWait, ctx.CancellationToken);
        try
        {
            return await query(ctx.CancellationToken);
        }
        catch (ViewQueryException e)
        {
            throw new GraphQLError(e.Message, e.Code);
        }
        catch (RegulatorQueryException e)
        {
            throw new GraphQLError(e.Message, e.Code);
        }
    }

    /// <summary>A record the reader named that does not exist (or not yet in the view): a coded error, not a silent null; only after the read is recorded.</summary>
    public static GraphQLError NotFound(string what, string id) => new($"There is no {what} '{id}'.", "read.not_found");
}
