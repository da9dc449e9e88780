namespace Records.GraphQL.WebSocket;

/// <summary>The close codes of the <c>graphql-transport-ws</c> protocol.</summary>
public static class CloseCodes
{
    /// <summary>A message that is not valid JSON, or not a message of the protocol.</summary>
    public const int BadRequest = 4400;
    /// <summary>A subscribe before the connection was acknowledged.</summary>
    public const int Unauthorized = 4401;
    /// <summary>The host refused the connection_init payload.</summary>
    public const int Forbidden = 4403;
    /// <summary>The client did not ask for the graphql-transport-ws subprotocol.</summary>
    public const int SubprotocolNotAcceptable = 4406;
    /// <summary>No connection_init within the timeout.</summary>
    public const int ConnectionInitialisationTimeout = 4408;
    /// <summary>A subscribe reused the id of an operation still running.</summary>
    public const int SubscriberAlreadyExists = 4409;
    /// <summary>A second connection_init.</summary>
    public const int TooManyInitialisationRequests = 4429;
    /// <summary>The server failed unexpectedly.</summary>
    public const int InternalServerError = 4500;
}
