using System.Text.Json;
using Records.Domain;
using Records.EventStore;
using Records.Projections.Streams;

namespace Records.Api.Commands;

/// <summary>
/// Refused commands, kept in the event log under their command id (stream <c>command_rejection-{id}</c>),
/// so a retried command gets the same rejection and the audit trail shows refused attempts with
/// their actor and outcome (GB/T 22239-2019: each audit record has time, user, event type and outcome).
/// </summary>
/// <remarks>These are the host's events, not the domain's: views skip their stream type.</remarks>
public sealed class RejectionLog(PostgresEventStore store)
{
    public const string StreamType = "command_rejection";
    public const string EventType = "command_rejection.recorded.v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What is stored: the stream the command was for, its type, and the rejection.</summary>
    private sealed record RecordedRejection(string StreamId, string Command, string Code, string Message, string? RuleId, string? RuleSource);

    public static bool IsRejectionStream(string streamId) => streamId.StartsWith(StreamType + "-", StringComparison.Ordinal);

    public async Task<AppendResult> RecordAsync(
        StreamRef stream, ICommand command, Rejection rejection, CommandCircumstances circumstances, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(new RecordedRejection(
            stream.StreamId, command.GetType().Name, rejection.Code, rejection.Message, rejection.Rule?.Id, rejection.Rule?.Source), Json);
        var meta = command.Meta;
        var metadata = DomainStore.Metadata(meta, circumstances);
        return await store.AppendAsync($"{StreamType}-{meta.CommandId:N}", StreamType, ExpectedVersion.Any, [new EventData(EventType, data)], metadata,
            cancellationToken);
    }

    public static Rejection Read(RecordedEvent recorded)
    {
        var stored = JsonSerializer.Deserialize<RecordedRejection>(recorded.Data, Json)
            ?? throw new JsonException($"Event {recorded.EventId} holds no rejection.");
        return new Rejection(stored.Code, stored.Message, stored.RuleId is null ? null : new RuleRef(stored.RuleId, stored.RuleSource ?? ""));
    }

    /// <summary>The stream the rejected command was meant for.</summary>
    public static string TargetStream(RecordedEvent recorded) =>
        JsonSerializer.Deserialize<RecordedRejection>(recorded.Data, Json)?.StreamId ?? recorded.StreamId;
}
