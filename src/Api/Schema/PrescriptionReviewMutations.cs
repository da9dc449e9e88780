using Records.Api.Access;
using Records.Api.Commands;
using Records.Domain;
using Records.Domain.Prescription;
using Records.GraphQL.Types;
using Records.Projections.Streams;

namespace Records.Api.Schema;

/// <summary>
/// The pharmacist's review (处方审核), each answering with the new state and the events written, or the
/// domain's typed error. Mutations follow Relay: an input with a <c>clientMutationId</c>, the command id.
/// </summary>
public static class PrescriptionReviewMutations
{
    /// <summary>A pharmacist approves a signed prescription, with their signature over its signing hash.</summary>
    public sealed record ApprovePrescriptionInput(string ClientMutationId, string PrescriptionId, string SignatureId);

    /// <summary>A pharmacist rejects a signed prescription, with reasons.</summary>
    public sealed record RejectPrescriptionInput(string ClientMutationId, string PrescriptionId, IReadOnlyList<string> Reasons);

    public static void AddTo(FieldsBuilder mutation, CommonTypes common, PrescriptionTypes prescriptions)
    {
        var payload = new ObjectType("PrescriptionPayload", t => t
            .Field("clientMutationId", ScalarType.ID.NonNull())
            .Field("prescription", prescriptions.Prescription)
            .Field("events", common.WrittenEvent.NonNull().List().NonNull())
            .Field("error", common.CommandError));
        var approveInput = new InputObjectType("ApprovePrescriptionInput", f => f
            .Field("clientMutationId", ScalarType.ID.NonNull()).Field("prescriptionId", ScalarType.ID.NonNull()).Field("signatureId", ScalarType.ID.NonNull()));
        var rejectInput = new InputObjectType("RejectPrescriptionInput", f => f
            .Field("clientMutationId", ScalarType.ID.NonNull()).Field("prescriptionId", ScalarType.ID.NonNull())
            .Field("reasons", ScalarType.String.NonNull().List().NonNull()));
        mutation
            .Field("approvePrescription", payload.NonNull(), ctx =>
                {
                    var input = ctx.Argument<ApprovePrescriptionInput>("input")!;
                    return ExecuteAsync(ctx, input.ClientMutationId, input.PrescriptionId, meta => new ApprovePrescription(meta, input.SignatureId));
                },
                [new("input", approveInput.NonNull())])
            .Field("rejectPrescription", payload.NonNull(), ctx =>
                {
                    var input = ctx.Argument<RejectPrescriptionInput>("input")!;
                    return ExecuteAsync(ctx, input.ClientMutationId, input.PrescriptionId, meta => new RejectPrescription(meta, input.Reasons));
                },
                [new("input", rejectInput.NonNull())]);
    }

    private static async ValueTask<object?> ExecuteAsync(ResolveContext ctx, string clientMutationId, string prescriptionId, Func<CommandMeta, ICommand> command)
    {
        var meta = ctx.CommandMetaOf(clientMutationId);
        var outcome = await ctx.Service<CommandExecutor>().ExecuteAsync(prescriptionId, command(meta), cancellationToken: ctx.CancellationToken);
        var (state, version) = await ctx.Service<DomainStore>().LoadAsync<PrescriptionState, IPrescriptionEvent>(
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
}
