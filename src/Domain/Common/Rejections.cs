namespace Records.Domain;

/// <summary>Rejections every stream can give that are about the stream's lifecycle, not about a regulation.</summary>
public static class Rejections
{
    public static Rejection AlreadyExists(string stream) =>
        new($"{stream}.already_exists", $"This {stream.Replace('_', ' ')} already exists.");

    public static Rejection NotFound(string stream) =>
        new($"{stream}.not_found", $"There is no such {stream.Replace('_', ' ')} yet.");

    public static Rejection WrongState(string stream, string command, object state) =>
        new($"{stream}.illegal_transition", $"You cannot {command} this {stream.Replace('_', ' ')}: it is '{Words(state)}'.");

    public static Rejection NotAllowed(string stream, string command, Role role) =>
        new($"{stream}.role_not_allowed", $"{Article(Words(role))} {Words(role)} may not {command} here.");

    public static Rejection Invalid(string code, string message) => new(code, message);

    private static string Article(string noun) => "aeiou".Contains(noun[0]) ? "An" : "A";

    private static string Words(object value) =>
        string.Concat(value.ToString()!.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
