using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Records.Api.Schema;

/// <summary>
/// The domain's documentation comments (<c>Records.Domain.xml</c>, built beside the assembly), so that the schema
/// describes a command and its fields in the domain's own words, as GraphiQL shows them. Without the file, no descriptions.
/// </summary>
public static partial class DomainDocs
{
    private static readonly Lazy<IReadOnlyDictionary<string, XElement>> Members = new(Load);

    /// <summary>The type's summary, or null.</summary>
    public static string? Summary(Type type) => Text(Member(type)?.Element("summary"));

    /// <summary>The record's comment on its parameter (a positional property), or null.</summary>
    public static string? Parameter(Type type, string name) =>
        Text(Member(type)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name));

    private static XElement? Member(Type type) => Members.Value.GetValueOrDefault("T:" + type.FullName!.Replace('+', '.'));

    private static IReadOnlyDictionary<string, XElement> Load()
    {
        var file = Path.ChangeExtension(typeof(Domain.ICommand).Assembly.Location, ".xml");
        if (!File.Exists(file)) return new Dictionary<string, XElement>();
        try
        {
            return XDocument.Load(file, LoadOptions.PreserveWhitespace).Descendants("member")
                .Where(m => m.Attribute("name") is not null)
                .ToDictionary(m => (string)m.Attribute("name")!);
        }
        catch (System.Xml.XmlException)
        {
            return new Dictionary<string, XElement>(); // a damaged file costs the descriptions, not the schema
        }
    }

    // The comment as one line of plain text: a reference reads as the name it refers to.
    private static string? Text(XElement? element)
    {
        if (element is null) return null;
        var text = Whitespace().Replace(Plain(element), " ").Trim();
        return text.Length == 0 ? null : text;
    }

    private static string Plain(XElement element) => string.Concat(element.Nodes().Select(node => node switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" or "seealso" } see => NameOf((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? ""),
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => DomainTypes.FieldName((string?)reference.Attribute("name") ?? ""),
        XElement other => Plain(other),
        _ => "",
    }));

    // "M:Records.Domain.ClinicalDocument.DocumentVersion.SigningHash(System.String)" reads "SigningHash".
    private static string NameOf(string cref) => cref.Split('(')[0].Split('.', ':').Last();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
