using Npgsql;
using Records.Domain;
using Records.Domain.AdverseEvent;
using Records.Domain.ClinicalDocument;
using Records.Domain.Complaint;
using Records.Domain.Consent;
using Records.Domain.Consultation;
using Records.Domain.Institution;
using Records.Domain.Patient;
using Records.Domain.Practitioner;
using Records.Domain.Prescription;
using Records.Domain.RecordAccess;
using Records.Domain.Retention;
using Records.Domain.Signature;
using Records.EventStore;
using Records.Projections.Streams;

namespace Records.Api.Commands;

/// <summary>
/// The write side: the one entry point for every domain command. It loads the stream's state and
/// the facts its decider needs, decides, and appends with the loaded version as the expected one;
/// a writer that lost a race reloads and decides again. The command id is the client's mutation id:
/// a command seen before is answered with its first outcome, accepted or rejected.
/// </summary>
public sealed class CommandExecutor(DomainStore store, DecisionFacts facts, RejectionLog rejections, SequenceWaiter sequences)
{
    /// <summary>
    /// How many times a command is decided before giving up on a busy stream. Every round of a race
    /// has a winner, so this many writers contending at once on one record all get through.
    /// </summary>
    public const int MaxAttempts = 10;

    /// <summary>What one decision produced, on the state at <see cref="Version"/>.</summary>
    private sealed record Attempt(long Version, IReadOnlyList<IDomainEvent> Events, Rejection? Rejection);

    /// <summary>
    /// Runs <paramref name="command"/> on record <paramref name="recordId"/> of its stream type (for a
    /// creating command, the id it names).
    /// </summary>
    public async Task<CommandOutcome> ExecuteAsync(string recordId, ICommand command, CommandCircumstances? circumstances = null, CancellationToken cancellationToken = default)
    {
        circumstances ??= CommandCircumstances.None;
        var stream = new StreamRef(CommandStreams.TypeOf(command), recordId);
        if (await EarlierOutcomeAsync(command.Meta.CommandId, cancellationToken) is { } earlier) return earlier;

        if (string.IsNullOrWhiteSpace(recordId))
            return Refused(stream, command, new Rejection("command.record_id_missing", "Say which record the command is for."));
        if (CommandStreams.CreatedId(command) is { } created && created != recordId)
            return Refused(stream, command, new Rejection("command.record_id_mismatch", $"The command creates record '{created}', not '{recordId}'."));

        for (var attempt = 1; ; attempt++)
        {
            var decided = await DecideAsync(stream, command, cancellationToken);
            if (decided.Rejection is { } rejection)
            {
                var recorded = await rejections.RecordAsync(stream, command, rejection, circumstances, cancellationToken);
                return recorded.Replayed ? (await EarlierOutcomeAsync(command.Meta.CommandId, cancellationToken))! : Refused(stream, command, rejection);
            }

            try
            {
                var appended = await store.AppendAsync(stream, decided.Version, decided.Events, command.Meta, circumstances, cancellationToken);
                return await WrittenAsync(command.Meta.CommandId, appended.StreamId, appended.Events[0].Version, appended.LastVersion, appended.Replayed,
                    cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Another command on this stream committed first: decide again on its result.
            }
            catch (ConcurrencyException e)
            {
                // Not recorded: a busy stream is no fault of the command, so a retry may succeed.
                return Refused(stream, command, new Rejection("command.concurrency_conflict",
                    $"The record kept changing while this was decided ({MaxAttempts} attempts, now at version {e.ActualVersion}); try again."));
            }
        }
    }

    /// <summary>
    /// Records the host's own refusal of a command under its id (a role the host does not let act at
    /// all), so the attempt is in the audit trail and a retry gets the same answer.
    /// </summary>
    public async Task<CommandOutcome> RefuseAsync(string recordId, ICommand command, Rejection rejection, CommandCircumstances? circumstances = null,
        CancellationToken cancellationToken = default)
    {
        if (await EarlierOutcomeAsync(command.Meta.CommandId, cancellationToken) is { } earlier) return earlier;
        var stream = new StreamRef(CommandStreams.TypeOf(command), recordId);
        var recorded = await rejections.RecordAsync(stream, command, rejection, circumstances ?? CommandCircumstances.None, cancellationToken);
        return recorded.Replayed ? (await EarlierOutcomeAsync(command.Meta.CommandId, cancellationToken))! : Refused(stream, command, rejection);
    }

    private static CommandOutcome Refused(StreamRef stream, ICommand command, Rejection rejection) =>
        new(command.Meta.CommandId, stream.StreamId, [], rejection, Replayed: false);

    private Task<Attempt> DecideAsync(StreamRef stream, ICommand command, CancellationToken ct) => command switch
    {
        IInstitutionCommand c => Decide(stream, InstitutionState.Initial, InstitutionDecider.Evolve, s => Task.FromResult(InstitutionDecider.Decide(c, s, facts.Institution())), ct),
        IPractitionerCommand c => Decide(stream, PractitionerState.Initial, PractitionerDecider.Evolve, s => Task.FromResult(PractitionerDecider.Decide(c, s, facts.Practitioner())), ct),
        IPatientCommand c => Decide(stream, PatientState.Initial, PatientDecider.Evolve, s => Task.FromResult(PatientDecider.Decide(c, s, facts.Patient())), ct),
        IConsentCommand c => Decide(stream, ConsentState.Initial, ConsentDecider.Evolve, async s => ConsentDecider.Decide(c, s, await facts.ConsentAsync(c, s, ct)), ct),
        IConsultationCommand c => Decide(stream, ConsultationState.Initial, ConsultationDecider.Evolve,
            async s => ConsultationDecider.Decide(c, s, await facts.ConsultationAsync(c, s, ct)), ct),
        IPrescriptionCommand c => Decide(stream, PrescriptionState.Initial, PrescriptionDecider.Evolve,
            async s => PrescriptionDecider.Decide(c, s, await facts.PrescriptionAsync(c, s, ct)), ct),
        IClinicalDocumentCommand c => Decide(stream, ClinicalDocumentState.Initial, ClinicalDocumentDecider.Evolve,
            async s => ClinicalDocumentDecider.Decide(c, s, await facts.DocumentAsync(c, s, ct)), ct),
        ISignatureCommand c => Decide(stream, SignatureState.Initial, SignatureDecider.Evolve, async s => SignatureDecider.Decide(c, s, await facts.SignatureAsync(c, ct)), ct),
        IAdverseEventCommand c => Decide(stream, AdverseEventState.Initial, AdverseEventDecider.Evolve, s => Task.FromResult(AdverseEventDecider.Decide(c, s, facts.AdverseEvent())), ct),
        IComplaintCommand c => Decide(stream, ComplaintState.Initial, ComplaintDecider.Evolve, async s => ComplaintDecider.Decide(c, s, await facts.ComplaintAsync(c, s, ct)), ct),
        IRecordAccessCommand c => Decide(stream, RecordAccessState.Initial, RecordAccessDecider.Evolve,
            async s => RecordAccessDecider.Decide(c, s, await facts.RecordAccessAsync(c, ct)), ct),
        IPurgeCommand c => Decide(stream, PurgeState.Initial, PurgeDecider.Evolve, async s => PurgeDecider.Decide(c, s, await facts.PurgeAsync(c, ct)), ct),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };

    private async Task<Attempt> Decide<TState, TEvent>(
        StreamRef stream, TState initial, Func<TState, TEvent, TState> evolve, Func<TState, Task<Decision<TEvent>>> decide, CancellationToken ct)
        where TEvent : IDomainEvent
    {
        var (state, version) = await store.LoadAsync(stream, initial, evolve, cancellationToken: ct);
        var decision = await decide(state);
        return new Attempt(version, decision.Events.Cast<IDomainEvent>().ToList(), decision.Rejection);
    }

    /// <summary>The first outcome of a command id already answered: the events it wrote or the rejection recorded for it.</summary>
    private async Task<CommandOutcome?> EarlierOutcomeAsync(Guid commandId, CancellationToken cancellationToken)
    {
        await using var lookup = store.Events.DataSource.CreateCommand(
            "select stream_id, first_version, last_version from eventstore.commands where command_id = $1");
        lookup.Parameters.Add(new NpgsqlParameter { Value = commandId });
        string streamId;
        long first, last;
        await using (var reader = await lookup.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) return null;
            (streamId, first, last) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        if (!RejectionLog.IsRejectionStream(streamId)) return await WrittenAsync(commandId, streamId, first, last, replayed: true, cancellationToken);
        await foreach (var recorded in store.Events.ReadStreamAsync(streamId, maxCount: 1, cancellationToken: cancellationToken))
            return new CommandOutcome(commandId, RejectionLog.TargetStream(recorded), [], RejectionLog.Read(recorded), Replayed: true);
        throw new InvalidOperationException($"Command {commandId} names {streamId}, which holds no event.");
    }

    private async Task<CommandOutcome> WrittenAsync(Guid commandId, string streamId, long first, long last, bool replayed, CancellationToken cancellationToken)
    {
        var events = await sequences.ReadNumberedAsync(streamId, first, last, cancellationToken);
        return new CommandOutcome(commandId, streamId,
            events.Select(e => new WrittenEvent(e.EventId, e.EventType, e.Version, Convert.ToHexStringLower(e.Hash), e.Sequence)).ToList(), null, replayed);
    }
}
