using NodaTime;
using Records.Api.Hosting;
using Records.Domain;
using Records.GraphQL.Types;
using Records.Projections.Access;

namespace Records.Api.Schema;

/// <summary>
/// What patients read of their own: who read their data (their access log). Their record itself is
/// <c>patientRecord</c> and <c>patientHistory</c> with their own id, which the gate lets them read.
/// </summary>
public static class PatientQueries
{
    private static readonly IReadOnlySet<Role> Patients = new HashSet<Role> { Role.Patient };

    public static void AddTo(FieldsBuilder query, ReadTypes read) =>
        query.Field("myAccessLog", read.AccessRecord.NonNull().List().NonNull(), async ctx =>
            {
                var me = ctx.ActorOf().Id;
                return await ctx.AuditedAsync(me, "patient.access_log", Patients, async (_, _) =>
                    await ctx.ViewAsync(ProjectionService.Access, ct => ctx.Service<AccessQueries>().ReadsOfPatientAsync(me, ctx.Argument<Instant?>("from"), ctx.Argument<Instant?>("to"), ct)));
            },
            [new("from", read.Time), new("to", read.Time)],
            "Patients: everyone who read your data, when, why, and whether it was a break-glass (and its review). This read is recorded too.");
}
