namespace Records.Domain.Institution;

/// <summary>A published fee for a service, in fen (分).</summary>
public sealed record Fee(string Service, long AmountFen);

public interface IInstitutionCommand : ICommand;

/// <summary>Registers the Internet hospital with the physical institution it relies on (依托的实体医疗机构) and its licence.</summary>
public sealed record RegisterInstitution(
    CommandMeta Meta, string InstitutionId, string Name, string LicenceNumber, string PhysicalInstitution, string ProvinceCode,
    IReadOnlyList<string> Subjects) : IInstitutionCommand;

/// <summary>Replaces the approved subjects (诊疗科目).</summary>
public sealed record ApproveSubjects(CommandMeta Meta, IReadOnlyList<string> Subjects) : IInstitutionCommand;

/// <summary>Publishes the reply time limit and fees (亮证经营).</summary>
public sealed record PublishServiceTerms(CommandMeta Meta, Duration ReplyLimit, IReadOnlyList<Fee> Fees) : IInstitutionCommand;

/// <summary>Connects to the provincial supervision platform (省级互联网医院监管平台).</summary>
public sealed record ConnectToPlatform(CommandMeta Meta, string PlatformCode) : IInstitutionCommand;
