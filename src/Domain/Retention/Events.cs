namespace Records.Domain.Retention;

public interface IPurgeEvent : IDomainEvent;

/// <param name="RetainUntil">The first day the content could be purged under the rules in force; null when no retention rule applied.</param>
public sealed record RecordPurged(
    string PurgeId, RetainedRecordKind Kind, string RecordId, LocalDate RetentionStart, LocalDate? RetainUntil, string Reason,
    string PurgedBy, Instant PurgedAt, IReadOnlyList<Flag> Flags) : IPurgeEvent;
