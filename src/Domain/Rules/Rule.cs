namespace Records.Domain.Rules;

/// <summary>How sure we are of a rule's wording: the marks of REGULATION.md.</summary>
public enum Confidence
{
    /// <summary>[V] wording confirmed in a text quoting the provision.</summary>
    Verified,
    /// <summary>[S] content from secondary summaries, article number unconfirmed.</summary>
    Secondary,
    /// <summary>[U] believed true, not confirmed: kept configurable.</summary>
    Unconfirmed,
}

/// <summary>What a breach does: refuse the command, or let it through with a <see cref="Flag"/> on the event.</summary>
public enum RuleKind
{
    Stops,
    Flags,
}

/// <summary>Where a rule holds. A more specific jurisdiction overrides a more general one for the same rule id.</summary>
public abstract record Jurisdiction
{
    public static readonly Jurisdiction National = new NationalJurisdiction();

    public static Jurisdiction Province(string code) => new ProvinceJurisdiction(code);

    public static Jurisdiction Institution(string id) => new InstitutionJurisdiction(id);

    /// <summary>0 national, 1 province, 2 institution; -1 when it does not cover the place.</summary>
    internal abstract int SpecificityAt(Place place);
}

public sealed record NationalJurisdiction : Jurisdiction
{
    internal override int SpecificityAt(Place place) => 0;

    public override string ToString() => "national";
}

/// <summary>A province by its administrative division code (北京 110000, 宁夏 640000...).</summary>
public sealed record ProvinceJurisdiction(string Code) : Jurisdiction
{
    internal override int SpecificityAt(Place place) => place.ProvinceCode == Code ? 1 : -1;

    public override string ToString() => $"province {Code}";
}

public sealed record InstitutionJurisdiction(string Id) : Jurisdiction
{
    internal override int SpecificityAt(Place place) => place.InstitutionId == Id ? 2 : -1;

    public override string ToString() => $"institution {Id}";
}

/// <summary>Where a command happens: the Internet hospital and the province that supervises it.</summary>
public sealed record Place(string ProvinceCode, string InstitutionId);

/// <summary>
/// One rule of REGULATION.md as data: its id, the text it comes from, how sure we are of it, where and when
/// it holds, whether it stops or flags, and its parameters.
/// </summary>
public sealed record Rule(
    string Id,
    string Source,
    Confidence Confidence,
    Jurisdiction Jurisdiction,
    Interval Effective,
    RuleKind Kind,
    RuleParameters Parameters,
    string Summary)
{
    public RuleRef Ref => new(Id, Source);

    /// <summary>The parameters as the type the rule is known to carry; a misconfigured book fails loudly.</summary>
    public T Parameter<T>()
        where T : RuleParameters =>
        Parameters as T ?? throw new InvalidOperationException($"Rule {Id} ({Jurisdiction}) carries {Parameters.GetType().Name}, not {typeof(T).Name}.");

    public Rejection Reject(string code, string message) => new(code, message, Ref);

    public Flag Flag(string code, string message) => new(code, message, Id, Source);
}
