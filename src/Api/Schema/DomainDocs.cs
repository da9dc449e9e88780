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
        return XDocument.Load(file).Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!);
    }

    // The comment as one line of plain text: a reference reads as the name it refers to.
    private static string? Text(XElement? element)
    {
        if (element is null) return null;
        var text = string.Concat(element.Nodes().Select(node => node switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } see => ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? "").Split('.', ':').Last(),
            XElement { Name.LocalName: "paramref" or "typeparamref" } reference => DomainTypes.FieldName((string?)reference.Attribute("name") ?? ""),
            XElement other => other.Value,
            _ => "",
        }));
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length == 0 ? null : text;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
