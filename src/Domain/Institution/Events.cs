namespace Records.Domain.Institution;

public interface IInstitutionEvent : IDomainEvent;

public sealed record InstitutionRegistered(
    string InstitutionId, string Name, string LicenceNumber, string PhysicalInstitution, string ProvinceCode,
    IReadOnlyList<string> Subjects, Instant RegisteredAt) : IInstitutionEvent;

public sealed record SubjectsApproved(IReadOnlyList<string> Subjects, Instant ApprovedAt) : IInstitutionEvent;

public sealed record ServiceTermsPublished(Duration ReplyLimit, IReadOnlyList<Fee> Fees, Instant PublishedAt) : IInstitutionEvent;

public sealed record ConnectedToPlatform(string PlatformCode, Instant ConnectedAt) : IInstitutionEvent;
