namespace Records.GraphQL.Types;

/// <summary>
/// A value could not be coerced to a type, in either direction (input or result coercion).
/// The message is worded as graphql-js words it, e.g. "Int cannot represent non-integer value: 1.5".
/// </summary>
public sealed class CoercionException(string message) : Exception(message)
{
    /// <summary>Machine-readable code for responses.</summary>
    public string Code => "COERCION_FAILED";
}
