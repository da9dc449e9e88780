using Npgsql;
using Records.GraphQL;

namespace Records.Api.Schema;

/// <summary>
/// What a client reads when the database fails under its request for a passing reason (a connection lost, the server
/// restarting, a conflict it gave up on): a code it can act on and a sentence, instead of "Unexpected error.".
/// </summary>
public static class DatabaseErrors
{
    public const string Unavailable = "database.unavailable";

    /// <summary>The typed error for a passing database failure; null for anything else (it stays masked).</summary>
    public static GraphQLError? Explain(Exception exception) => exception is NpgsqlException { IsTransient: true }
        ? new GraphQLError(
            "The database could not complete this request for a passing reason (a lost connection, a restart); try again shortly. " +
            "A command sent again with the same clientMutationId is applied once.", Unavailable)
        : null;
}
