namespace Records.Domain.Institution;

using System.Collections.Immutable;

public sealed record InstitutionState(
    bool Registered, string Id, string Name, string ProvinceCode, ImmutableHashSet<string> Subjects,
    Duration? ReplyLimit, ImmutableList<Fee> Fees, string? PlatformCode)
{
    public static readonly InstitutionState Initial = new(false, "", "", "", [], null, [], null);

    public bool Approves(string subject) => Subjects.Contains(subject);
}
