namespace Records.Domain.RecordAccess;

public interface IRecordAccessEvent : IDomainEvent;

public sealed record PatientDataRead(
    string AccessId, string PatientId, string ReaderId, Role ReaderRole, string Resource, PurposeOfUse Purpose, bool CareRelationship,
    string? BreakGlassReason, Instant ReadAt, IReadOnlyList<Flag> Flags) : IRecordAccessEvent;

public sealed record BreakGlassReviewed(string ReviewerId, bool Justified, string Note, Instant ReviewedAt) : IRecordAccessEvent;
