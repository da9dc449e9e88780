using Records.GraphQL.Language;

namespace Records.GraphQL.Types;

/// <summary>One broken type-system rule, worded as graphql-js's validateSchema words it, with the SDL nodes involved (if built from SDL).</summary>
public sealed record SchemaError(string Message, IReadOnlyList<Node> Nodes)
{
    /// <summary>Line/column of each node that has a location.</summary>
    public IReadOnlyList<SourceLocation> Locations =>
        _locations ?? Nodes.Where(n => n.Location is not null).Select(n => n.Location!.Value.StartLocation).ToArray();

    // Errors found by the validation rules over the SDL document carry locations, not nodes.
    private IReadOnlyList<SourceLocation>? _locations;

    internal static SchemaError FromValidation(GraphQLError error) => new(error.Message, []) { _locations = error.Locations };

    public override string ToString() => Message;
}

/// <summary>A schema breaks type-system rules, or SDL could not be built into a schema.</summary>
public sealed class InvalidSchemaException(IReadOnlyList<SchemaError> errors)
    : Exception(string.Join("\n\n", errors.Select(e => e.Message)))
{
    public IReadOnlyList<SchemaError> Errors { get; } = errors;

    /// <summary>Machine-readable code.</summary>
    public string Code => "INVALID_SCHEMA";
}
