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
using Records.Projections.Streams;

namespace Records.Api.Commands;

/// <summary>
/// One kind of stream of the domain: its commands' interface, the stream type (the prefix of its
/// events' type names: <c>prescription.signed.v1</c> lives in <c>prescription-…</c>), the name of
/// its records' id (<c>prescriptionId</c>), and how its state is folded.
/// </summary>
public sealed class StreamKind
{
    private readonly Func<DomainStore, string, long?, CancellationToken, Task<(object State, long Version)>> _load;

    private StreamKind(string type, string idName, Type commandInterface, Type stateType,
        Func<DomainStore, string, long?, CancellationToken, Task<(object State, long Version)>> load)
    {
        Type = type;
        IdName = idName;
        CommandInterface = commandInterface;
        StateType = stateType;
        _load = load;
    }

    /// <summary>The stream type, e.g. <c>prescription</c>.</summary>
    public string Type { get; }

    /// <summary>The name of a record's id in commands and in the API, e.g. <c>prescriptionId</c>.</summary>
    public string IdName { get; }

    /// <summary>The interface every command of this stream implements, e.g. <see cref="IPrescriptionCommand"/>.</summary>
    public Type CommandInterface { get; }

    /// <summary>The decider's state record, e.g. <see cref="PrescriptionState"/>.</summary>
    public Type StateType { get; }

    /// <summary>Record <paramref name="id"/>'s state folded up to <paramref name="upToVersion"/> (null: all); version 0 means no such record.</summary>
    public Task<(object State, long Version)> LoadAsync(DomainStore store, string id, long? upToVersion, CancellationToken cancellationToken) =>
        _load(store, id, upToVersion, cancellationToken);

    public static StreamKind Of<TCommand, TState, TEvent>(string type, string idName, TState initial, Func<TState, TEvent, TState> evolve)
        where TCommand : ICommand where TState : notnull where TEvent : IDomainEvent =>
        new(type, idName, typeof(TCommand), typeof(TState), async (store, id, upTo, ct) =>
        {
            var (state, version) = await store.Events.AggregateStreamAsync(new StreamRef(type, id).StreamId, initial,
                (s, recorded) => evolve(s, (TEvent)store.Deserialize(recorded)), upToVersion: upTo, cancellationToken: ct);
            return (state, version);
        });
}

/// <summary>
/// Which stream a command acts on: the record id is the one a creating command names, or the one
/// the caller gives for a command on an existing record.
/// </summary>
public static class CommandStreams
{
    /// <summary>Every stream of the domain, one row each.</summary>
    public static IReadOnlyList<StreamKind> All { get; } =
    [
        StreamKind.Of<IInstitutionCommand, InstitutionState, IInstitutionEvent>("institution", "institutionId", InstitutionState.Initial, InstitutionDecider.Evolve),
        StreamKind.Of<IPractitionerCommand, PractitionerState, IPractitionerEvent>("practitioner", "practitionerId", PractitionerState.Initial, PractitionerDecider.Evolve),
        StreamKind.Of<IPatientCommand, PatientState, IPatientEvent>("patient", "patientId", PatientState.Initial, PatientDecider.Evolve),
        StreamKind.Of<IConsentCommand, ConsentState, IConsentEvent>("consent", "consentId", ConsentState.Initial, ConsentDecider.Evolve),
        StreamKind.Of<IConsultationCommand, ConsultationState, IConsultationEvent>("consultation", "consultationId", ConsultationState.Initial, ConsultationDecider.Evolve),
        StreamKind.Of<IPrescriptionCommand, PrescriptionState, IPrescriptionEvent>("prescription", "prescriptionId", PrescriptionState.Initial, PrescriptionDecider.Evolve),
        StreamKind.Of<IClinicalDocumentCommand, ClinicalDocumentState, IClinicalDocumentEvent>("document", "documentId", ClinicalDocumentState.Initial,
            ClinicalDocumentDecider.Evolve),
        StreamKind.Of<ISignatureCommand, SignatureState, ISignatureEvent>("signature", "signatureId", SignatureState.Initial, SignatureDecider.Evolve),
        StreamKind.Of<IAdverseEventCommand, AdverseEventState, IAdverseEventEvent>("adverse_event", "adverseEventId", AdverseEventState.Initial, AdverseEventDecider.Evolve),
        StreamKind.Of<IComplaintCommand, ComplaintState, IComplaintEvent>("complaint", "complaintId", ComplaintState.Initial, ComplaintDecider.Evolve),
        StreamKind.Of<IRecordAccessCommand, RecordAccessState, IRecordAccessEvent>("record_access", "accessId", RecordAccessState.Initial, RecordAccessDecider.Evolve),
        StreamKind.Of<IPurgeCommand, PurgeState, IPurgeEvent>("purge", "purgeId", PurgeState.Initial, PurgeDecider.Evolve),
    ];

    /// <summary>The stream kind of a command type.</summary>
    public static StreamKind KindOf(Type commandType) =>
        All.FirstOrDefault(k => k.CommandInterface.IsAssignableFrom(commandType))
        ?? throw new ArgumentOutOfRangeException(nameof(commandType), commandType.Name, "A command of no known stream.");

    public static string TypeOf(ICommand command) => KindOf(command.GetType()).Type;

    /// <summary>The id a creating command gives its new record (its parameter named as the stream's ids); null for a command on an existing record.</summary>
    public static string? CreatedId(ICommand command) =>
        command.GetType().GetProperty(KindOf(command.GetType()).IdName, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance
            | System.Reflection.BindingFlags.IgnoreCase)?.GetValue(command) as string;
}
