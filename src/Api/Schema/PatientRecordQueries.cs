using Records.Api.Access;
using Records.Domain.RecordAccess;
using Records.GraphQL.Types;

namespace Records.Api.Schema;

/// <summary>A patient's record, every read recorded first through <see cref="AuditedReads"/>.</summary>
public static class PatientRecordQueries
{
    public static void AddTo(FieldsBuilder query, CommonTypes common, PrescriptionTypes prescriptions)
    {
        var consultation = new ObjectType("Consultation", t => t
            .Field("consultationId", ScalarType.ID.NonNull())
            .Field("kind", ScalarType.String.NonNull())
            .Field("status", ScalarType.String.NonNull())
            .Field("subject", ScalarType.String.NonNull())
            .Field("doctorId", ScalarType.ID)
            .Field("diagnoses", ScalarType.String.NonNull().List().NonNull()));
        var patientRecord = new ObjectType("PatientRecord", t => t
            .Field("patientId", ScalarType.ID.NonNull(), description: "The patient's id, or a pseudonym for a regulator outside a case.")
            .Field("registered", ScalarType.Boolean.NonNull())
            .Field("name", ScalarType.String)
            .Field("sex", ScalarType.String)
            .Field("birthYear", ScalarType.Int)
            .Field("guardianId", ScalarType.ID)
            .Field("consultations", consultation.NonNull().List().NonNull())
            .Field("prescriptions", prescriptions.Prescription.NonNull().List().NonNull()));
        query.Field("patientRecord", patientRecord, PatientRecordAsync,
            [new("patientId", ScalarType.ID.NonNull()), new("purpose", common.PurposeOfUse), new("reason", ScalarType.String), new("case", ScalarType.String)],
            "A patient's record. Every read is recorded first; clinicians without a care relationship give a break-glass reason; " +
            "regulators see pseudonyms unless they name a case and a reason.");
    }

    private static async ValueTask<object?> PatientRecordAsync(ResolveContext ctx)
    {
        var patientId = ctx.Argument<string>("patientId")!;
        var read = await ctx.Service<AuditedReads>().ReadAsync(ctx.ActorOf(),
            new ReadRequest(patientId, PatientRecords.Resource, ctx.Argument<PurposeOfUse?>("purpose") ?? PurposeOfUse.Treatment, ctx.Argument<string>("reason"),
                ctx.Argument<string>("case")),
            (disclosure, ct) => ctx.Service<PatientRecords>().LoadAsync(patientId, disclosure, ct), ctx.CancellationToken);
        return read.Refusal is { } refusal ? throw SchemaContext.ErrorOf(refusal) : read.Data;
    }
}
