using System.Text.RegularExpressions;
using Records.Api.Commands;
using Records.Domain;
using Records.Domain.Rules;
using Records.GraphQL;
using Records.GraphQL.Types;
using Records.Projections.Streams;

namespace Records.Api.Schema;

/// <summary>
/// A mutation for every command of the domain clients give (<see cref="CommandCatalog.Offered"/>), made by one piece of code:
/// <c>signPrescription(input: SignPrescriptionInput!): PrescriptionPayload!</c>. The input holds the
/// command's fields, the record it acts on (<c>prescriptionId</c>) and the Relay <c>clientMutationId</c>,
/// which is the command id: a retry is answered from the first result and writes nothing. The payload
/// holds the events written and the record's state after them, or the domain's typed error.
/// </summary>
/// <remarks>
/// Ids of new records: the client may name one (<see cref="RecordIdPattern"/>); left out, the
/// clientMutationId's 32 hex digits are the id, so a retry names the same record. The state is only
/// shown for an accepted command (the actor was allowed to act on the record): a refused command
/// shows no state, so refusals never disclose a record.
/// </remarks>
public static partial class CommandMutations
{
    /// <summary>What a record id may look like: letters, digits, '.', '_', ':' or '-', starting with a letter or digit, at most 64.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
    public static partial Regex RecordIdPattern();

    /// <summary>What a mutation answers; <see cref="State"/> appears under the stream's name (<c>prescription</c>).</summary>
    public sealed record CommandPayload(string ClientMutationId, string RecordId, object? State, IReadOnlyList<WrittenEvent> Events, Rejection? Error);

    public static void AddTo(FieldsBuilder mutation, CommonTypes common, DomainTypes types)
    {
        var payloads = CommandStreams.All.ToDictionary(kind => kind, kind => PayloadOf(kind, common, types));
        foreach (var command in CommandCatalog.Offered)
        {
            mutation.Field(DomainTypes.FieldName(command.Name), payloads[command.Stream].NonNull(), ctx => ExecuteAsync(ctx, command),
                [new InputValueDefinition("input", InputOf(command, types).NonNull())], DescriptionOf(command));
        }
    }

    private static ObjectType PayloadOf(StreamKind kind, CommonTypes common, DomainTypes types)
    {
        var record = kind.StateType.Name.EndsWith("State", StringComparison.Ordinal) ? kind.StateType.Name[..^"State".Length] : kind.StateType.Name;
        return new ObjectType(record + "Payload", t => t
            .Field("clientMutationId", ScalarType.ID.NonNull())
            .Field("recordId", ScalarType.ID.NonNull(), description: $"The {Words(kind)} the command was for (for a new record, the id it was given).")
            .Field(DomainTypes.FieldName(record), types.OutputOf(kind.StateType), ctx => ((CommandPayload)ctx.Source!).State,
                description: $"The {Words(kind)} after the events written; null when the command was refused.")
            .Field("events", common.WrittenEvent.NonNull().List().NonNull(), ctx => ((CommandPayload)ctx.Source!).Events,
                description: "The events the command wrote, in order; empty when it was refused.")
            .Field("error", common.CommandError, ctx => ((CommandPayload)ctx.Source!).Error,
                description: "Why the domain refused the command; null when it was accepted."),
            $"What a {Words(kind)} command did: the events written and the new state, or the domain's typed error.");
    }

    private static InputObjectType InputOf(CommandShape command, DomainTypes types) => new(command.Name + "Input", f =>
    {
        f.Field("clientMutationId", ScalarType.ID.NonNull(),
            "A UUID the client makes for this command; it is the command's id, so a retry with it is answered from the first result and writes nothing.");
        if (!command.CreatesRecord) f.Field(command.Stream.IdName, ScalarType.ID.NonNull(), $"The {Words(command.Stream)} this command acts on.");
        foreach (var parameter in command.Parameters)
        {
            var name = DomainTypes.FieldName(parameter.Name!);
            if (command.CreatesRecord && name == command.Stream.IdName)
                f.Field(name, ScalarType.ID, $"The new {Words(command.Stream)}'s id (letters, digits, '.', '_', ':' or '-', at most 64); " +
                    "left out, the clientMutationId's 32 hex digits are used, so a retry names the same record.");
            else f.Field(name, types.InputOf(parameter), DomainDocs.Parameter(command.Type, parameter.Name!));
        }
    }, $"The fields of {command.Name}, the record it is for and its clientMutationId.");

    /// <summary>The stream's name as words: "adverse event".</summary>
    private static string Words(StreamKind kind) => kind.Type.Replace('_', ' ');

    /// <summary>"SignPrescription" reads "Sign prescription (prescription; …)".</summary>
    private static string DescriptionOf(CommandShape command)
    {
        var words = Regex.Replace(command.Name, "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();
        var summary = DomainDocs.Summary(command.Type) is { } said ? said + " " : "";
        return $"{char.ToUpperInvariant(words[0])}{words[1..]} ({Words(command.Stream)} record; the domain's {command.Name}). {summary}The domain decides under the rules in force: " +
            $"the answer holds the events written and the {Words(command.Stream)}'s new state, or the typed error with its rule and source.";
    }

    private static async ValueTask<object?> ExecuteAsync(ResolveContext ctx, CommandShape command)
    {
        var input = ctx.Argument<IReadOnlyDictionary<string, object?>>("input")!;
        var clientMutationId = (string)input["clientMutationId"]!;
        var meta = ctx.CommandMetaOf(clientMutationId);
        var recordId = input.GetValueOrDefault(command.Stream.IdName) as string ?? meta.CommandId.ToString("N");
        if (!RecordIdPattern().IsMatch(recordId))
            throw new GraphQLError($"'{recordId}' is not a record id: use letters, digits, '.', '_', ':' or '-', starting with a letter or digit, at most 64.",
                "request.invalid_record_id");

        var arguments = command.Parameters.Select(p => command.CreatesRecord && DomainTypes.FieldName(p.Name!) == command.Stream.IdName
            ? recordId
            : InputBinder.Argument(p, input));
        var built = (ICommand)command.Constructor.Invoke([meta, .. arguments]);

        var place = ctx.Service<Regulation>().Place;
        var outcome = await ctx.Service<CommandExecutor>().ExecuteAsync(recordId, built, new CommandCircumstances { InstitutionId = place.InstitutionId },
            ctx.CancellationToken);
        var stream = new StreamRef(command.Stream.Type, recordId);
        if (outcome.StreamId != stream.StreamId)
            throw new GraphQLError("This clientMutationId was used before for a command on another record; make a new one for each command.",
                "request.client_mutation_id_reused");

        object? state = null;
        if (outcome.IsAccepted)
        {
            // As of the command's own last event: a retry sees the same state, whatever came after.
            var upTo = outcome.Events.Count > 0 ? outcome.Events[^1].Version : (long?)null;
            (state, _) = await command.Stream.LoadAsync(ctx.Service<DomainStore>(), recordId, upTo, ctx.CancellationToken);
        }
        return new CommandPayload(clientMutationId, recordId, state, outcome.Events, outcome.Rejection);
    }
}
