namespace Records.GraphQL.Execution;

/// <summary>The <c>extensions.code</c> values execution reports.</summary>
public static class ErrorCodes
{
    /// <summary>The request itself is malformed (e.g. variables that are not a JSON object).</summary>
    public const string BadRequest = "BAD_REQUEST";
    /// <summary>No operation, an unknown operation name, or a missing name when the document has several.</summary>
    public const string OperationNotFound = "OPERATION_NOT_FOUND";
    /// <summary>The schema has no root type for the operation, or a subscription was sent to ExecuteAsync.</summary>
    public const string OperationNotSupported = "OPERATION_NOT_SUPPORTED";
    /// <summary>A variable or argument value cannot be coerced to its type.</summary>
    public const string BadUserInput = "BAD_USER_INPUT";
    /// <summary>A resolver failed with a non-GraphQL exception.</summary>
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";
    /// <summary>A resolver's value does not fit the field's type (null for non-null, unserializable leaf, unresolvable abstract type).</summary>
    public const string InvalidFieldResult = "INVALID_FIELD_RESULT";
    /// <summary>Execution ran longer than <see cref="ExecutionRequest.Timeout"/>.</summary>
    public const string ExecutionTimeout = "EXECUTION_TIMEOUT";
    /// <summary><c>__schema</c> or <c>__type</c> asked while <see cref="ExecutionRequest.AllowIntrospection"/> is false.</summary>
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";
}
