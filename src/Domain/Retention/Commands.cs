namespace Records.Domain.Retention;

using Records.Domain.Prescription;

/// <summary>The kinds of record a purge may name; each has its own retention period (保存期限).</summary>
public enum RetainedRecordKind
{
    /// <summary>A clinical document of the outpatient EMR (online visits are outpatient care).</summary>
    OutpatientRecord,
    Prescription,
    /// <summary>A consultation's chat, image, audio and video content.</summary>
    ConsultationMedia,
}

/// <summary>
/// The record a purge names, as the host found it: when its retention period began (the last visit, the day written, the
/// visit's end) and, for a prescription, its strictest drug class.
/// </summary>
public sealed record RetainedRecord(RetainedRecordKind Kind, string RecordId, LocalDate RetentionStart, DrugClass? StrictestClass = null);

public interface IPurgeCommand : ICommand;

/// <summary>
/// Destroys a record's content (销毁) in the content stores once its retention period has passed. The events that
/// describe the record are never removed; this one says when, by whom and why its content went.
/// </summary>
public sealed record PurgeRecord(CommandMeta Meta, string PurgeId, RetainedRecordKind Kind, string RecordId, string Reason) : IPurgeCommand;
