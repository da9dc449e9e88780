using System.Security.Claims;
using Records.Api.Access;
using Records.Api.Commands;
using Records.Api.Identity;
using Records.Domain;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.GraphQL;
using Records.GraphQL.Server;
using Records.GraphQL.Types;
using Records.Projections.Streams;

namespace Records.Api.Schema;

/// <summary>
/// The beginning of the records schema, code-first: a patient's record (every read through
/// <see cref="AuditedReads"/>), and the pharmacist's review mutations, each answering with the new
/// state and the events written, or the domain's typed error. Mutations follow Relay: an input with a
/// <c>clientMutationId</c>, which is the command id, so a retry is answered from the first result.
/// </summary>
public static class RecordsSchema
{
    /// <summary>A pharmacist approves a signed prescription, with their signature over its signing hash.</summary>
    public sealed record ApprovePrescriptionInput(string ClientMutationId, string PrescriptionId, string SignatureId);

    /// <summary>A pharmacist rejects a signed prescription, with reasons.</summary>
    public sealed record RejectPrescriptionInput(string ClientMutationId, string PrescriptionId, IReadOnlyList<string> Reasons);

    public static GraphQL.Types.Schema Build()
    {
        var rule = new ObjectType("Rule", t => t
            .Field("id", ScalarType.String.NonNull())
            .Field("source", ScalarType.String.NonNull()), description: "A rule of REGULATION.md, by its id in the rule book and its source text.");
        var commandError = new ObjectType("CommandError", t => t
            .Field("code", ScalarType.String.NonNull())
            .Field("message", ScalarType.String.NonNull())
            .Field("rule", rule), description: "Why the domain refused a command: a stable code, a sentence, and the rule behind it.");
        var writtenEvent = new ObjectType("WrittenEvent", t => t
            .Field("eventId", ScalarType.ID.NonNull())
            .Field("eventType", ScalarType.String.NonNull())
            .Field("version", ScalarType.Int.NonNull(), ctx => (int)((WrittenEvent)ctx.Source!).Version)
            .Field("hash", ScalarType.String.NonNull())
            .Field("sequence", ScalarType.String, ctx => ((WrittenEvent)ctx.Source!).Sequence?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                description: "The global sequence number (64-bit, as text); null if the sequencer had not numbered it yet."));
        var consultation = new ObjectType("Consultation", t => t
            .Field("consultationId", ScalarType.ID.NonNull())
            .Field("kind", ScalarType.String.NonNull())
            .Field("status", ScalarType.String.NonNull())
            .Field("subject", ScalarType.String.NonNull())
            .Field("doctorId", ScalarType.ID)
            .Field("diagnoses", ScalarType.String.NonNull().List().NonNull()));
        var prescription = new ObjectType("Prescription", t => t
            .Field("prescriptionId", ScalarType.ID.NonNull())
            .Field("consultationId", ScalarType.ID.NonNull())
            .Field("status", ScalarType.String.NonNull())
            .Field("prescriberId", ScalarType.ID.NonNull())
            .Field("reviewerId", ScalarType.ID));
        var patientRecord = new ObjectType("PatientRecord", t => t
            .Field("patientId", ScalarType.ID.NonNull(), description: "The patient's id, or a pseudonym for a regulator outside a case.")
            .Field("registered", ScalarType.Boolean.NonNull())
            .Field("name", ScalarType.String)
            .Field("sex", ScalarType.String)
            .Field("birthYear", ScalarType.Int)
            .Field("guardianId", ScalarType.ID)
            .Field("consultations", consultation.NonNull().List().NonNull())
            .Field("prescriptions", prescription.NonNull().List().NonNull()));
        var prescriptionPayload = new ObjectType("PrescriptionPayload", t => t
            .Field("clientMutationId", ScalarType.ID.NonNull())
            .Field("prescription", prescription)
            .Field("events", writtenEvent.NonNull().List().NonNull())
            .Field("error", commandError));
        var purpose = EnumType.FromEnum<PurposeOfUse>();
        var actor = new ObjectType("Actor", t => t
            .Field("id", ScalarType.ID.NonNull())
            .Field("role", ScalarType.String.NonNull(), ctx => RecordsClaims.RoleName(((Actor)ctx.Source!).Role))
            .Field("realNameVerified", ScalarType.Boolean.NonNull()));

        var query = new ObjectType("Query", t => t
            .Field("me", actor.NonNull(), ctx => ActorOf(ctx))
            .Field("patientRecord", patientRecord, PatientRecordAsync,
                [new("patientId", ScalarType.ID.NonNull()), new("purpose", purpose), new("reason", ScalarType.String), new("case", ScalarType.String)],
                "A patient's record. Every read is recorded first; clinicians without a care relationship give a break-glass reason; " +
                "regulators see pseudonyms unless they name a case and a reason."));
        var approveInput = new InputObjectType("ApprovePrescriptionInput", f => f
            .Field("clientMutationId", ScalarType.ID.NonNull()).Field("prescriptionId", ScalarType.ID.NonNull()).Field("signatureId", ScalarType.ID.NonNull()));
        var rejectInput = new InputObjectType("RejectPrescriptionInput", f => f
            .Field("clientMutationId", ScalarType.ID.NonNull()).Field("prescriptionId", ScalarType.ID.NonNull())
            .Field("reasons", ScalarType.String.NonNull().List().NonNull()));
        var mutation = new ObjectType("Mutation", t => t
            .Field("approvePrescription", prescriptionPayload.NonNull(), ctx =>
                {
                    var input = ctx.Argument<ApprovePrescriptionInput>("input")!;
                    return PrescriptionCommandAsync(ctx, input.ClientMutationId, input.PrescriptionId, meta => new ApprovePrescription(meta, input.SignatureId));
                },
                [new("input", approveInput.NonNull())])
            .Field("rejectPrescription", prescriptionPayload.NonNull(), ctx =>
                {
                    var input = ctx.Argument<RejectPrescriptionInput>("input")!;
                    return PrescriptionCommandAsync(ctx, input.ClientMutationId, input.PrescriptionId, meta => new RejectPrescription(meta, input.Reasons));
                },
                [new("input", rejectInput.NonNull())]));
        return new GraphQL.Types.Schema(query, mutation).AssertValid();
    }

    private static Actor ActorOf(ResolveContext ctx) =>
        ctx.Items.TryGetValue(GraphQLRequestContext.UserItem, out var item) && item is ClaimsPrincipal user && RecordsClaims.ToActor(user) is { } actor
            ? actor
            : throw new GraphQLError("Sign in: send a bearer token in the Authorization header.", "auth.missing_token");

    private static async ValueTask<object?> PatientRecordAsync(ResolveContext ctx)
    {
        var patientId = ctx.Argument<string>("patientId")!;
        var services = ServicesOf(ctx);
        var read = await services.GetRequiredService<AuditedReads>().ReadAsync(ActorOf(ctx),
            new ReadRequest(patientId, PatientRecords.Resource, ctx.Argument<PurposeOfUse?>("purpose") ?? PurposeOfUse.Treatment, ctx.Argument<string>("reason"),
                ctx.Argument<string>("case")),
            (disclosure, ct) => services.GetRequiredService<PatientRecords>().LoadAsync(patientId, disclosure, ct), ctx.CancellationToken);
        return read.Refusal is { } refusal ? throw ErrorOf(refusal) : read.Data;
    }

    private static async ValueTask<object?> PrescriptionCommandAsync(ResolveContext ctx, string clientMutationId, string prescriptionId, Func<CommandMeta, ICommand> command)
    {
        if (!Guid.TryParse(clientMutationId, out var commandId))
            throw new GraphQLError("The clientMutationId must be a UUID: it is the command's id, so a retry is answered from the first result.", "request.invalid_client_mutation_id");
        var services = ServicesOf(ctx);
        var meta = new CommandMeta(ActorOf(ctx), services.GetRequiredService<NodaTime.IClock>().GetCurrentInstant(), commandId);
        var outcome = await services.GetRequiredService<CommandExecutor>().ExecuteAsync(prescriptionId, command(meta), cancellationToken: ctx.CancellationToken);
        var (state, version) = await services.GetRequiredService<DomainStore>().LoadAsync<PrescriptionState, IPrescriptionEvent>(
            new("prescription", prescriptionId), PrescriptionState.Initial, PrescriptionDecider.Evolve, cancellationToken: ctx.CancellationToken);
        return new
        {
            clientMutationId,
            prescription = version == 0 ? null : new PrescriptionSummary(state.Id, state.ConsultationId,
                System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(state.Status.ToString()), state.PrescriberId, state.ReviewerId),
            events = outcome.Events,
            error = outcome.Rejection,
        };
    }

    private static IServiceProvider ServicesOf(ResolveContext ctx) =>
        ctx.Services ?? throw new InvalidOperationException("The records schema runs with the host's services (MapGraphQL passes the request's).");

    private static GraphQLError ErrorOf(Rejection rejection) => new(rejection.Message, rejection.Code,
        extensions: rejection.Rule is { } r ? new Dictionary<string, object?> { ["rule"] = new { id = r.Id, source = r.Source } } : null);
}
