using Npgsql;
using Records.GraphQL;

namespace Records.Api.Schema;

/// <summary>
/// What a client reads when the database fails under its request for a passing reason (a connection lost, the server
/// restarting or full, a conflict with another request): a code it can act on and a sentence, instead of "Unexpected error.".
/// </summary>
public static class DatabaseErrors
{
    public const string Unavailable = "database.unavailable";

    /// <summary>The typed error for a passing database failure; null for anything else (it stays masked).</summary>
    public static GraphQLError? Explain(Exception exception) => IsPassing(exception)
        ? new GraphQLError(
            "The database could not complete this request just now (a lost connection, a restart, a conflict with another request); " +
            "try again shortly. A command sent again with the same clientMutationId is applied once.", Unavailable)
        : null;

    // Npgsql's IsTransient also counts states that are bugs or configuration (55000, 53100 disk full): only these pass.
    private static bool IsPassing(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException npgsql => npgsql.IsTransient, // the connection itself: I/O, a socket, a timeout
        _ => false,
    };
}
