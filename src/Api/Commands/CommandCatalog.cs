using System.Reflection;
using Records.Domain;

namespace Records.Api.Commands;

/// <summary>
/// One command of the domain as the API offers it: its record type, its stream, and its parameters
/// besides <see cref="CommandMeta"/> (which the host fills in from the request).
/// </summary>
/// <param name="CreatesRecord">Whether the command names the id of the record it creates (a parameter named as the stream's ids).</param>
public sealed record CommandShape(Type Type, StreamKind Stream, ConstructorInfo Constructor, IReadOnlyList<ParameterInfo> Parameters, bool CreatesRecord)
{
    public string Name => Type.Name;
}

/// <summary>
/// Every command of the domain, found by reflection: each public sealed record implementing
/// <see cref="ICommand"/> in the domain's assembly, built through its primary constructor. A command
/// the domain adds is offered with no change here, unless only the host may give it (<see cref="HostOnly"/>).
/// </summary>
public static class CommandCatalog
{
    public static IReadOnlyList<CommandShape> All { get; } = typeof(ICommand).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && typeof(ICommand).IsAssignableFrom(t))
        .OrderBy(t => t.Namespace, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)
        .Select(Shape)
        .ToList();

    /// <summary>
    /// Commands only the host gives, never a client: a read of patient data is recorded by the audited reads
    /// (<see cref="Access.AuditedReads"/>) as it happens, so nobody writes access-log entries of their own choosing.
    /// </summary>
    public static IReadOnlySet<Type> HostOnly { get; } = new HashSet<Type> { typeof(Domain.RecordAccess.RecordRead) };

    /// <summary>The commands clients give: one mutation each.</summary>
    public static IReadOnlyList<CommandShape> Offered { get; } = All.Where(c => !HostOnly.Contains(c.Type)).ToList();

    private static CommandShape Shape(Type type)
    {
        var stream = CommandStreams.KindOf(type);
        // The primary constructor of a positional record: the one taking the command's meta first.
        var constructor = type.GetConstructors().Single(c => c.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(CommandMeta));
        var parameters = constructor.GetParameters().Skip(1).ToList();
        return new CommandShape(type, stream, constructor, parameters,
            parameters.Any(p => string.Equals(p.Name, stream.IdName, StringComparison.OrdinalIgnoreCase) && p.ParameterType == typeof(string)));
    }
}
