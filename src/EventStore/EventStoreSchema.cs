using Npgsql;
using Records.EventStore.Migrations;

namespace Records.EventStore;

/// <summary>Creates and upgrades the event store's schema, and the role the application connects as.</summary>
public static class EventStoreSchema
{
    public const string Schema = "eventstore";

    /// <summary>The group role that may only read and append the event tables.</summary>
    public const string WriterRole = "eventstore_writer";

    private static readonly IReadOnlyList<Migration> Migrations = Migration.FromResources(typeof(EventStoreSchema).Assembly);

    /// <summary>Applies the pending migrations; needs a role that may create schemas and roles.</summary>
    public static Task<IReadOnlyList<Migration>> MigrateAsync(NpgsqlDataSource adminDataSource, CancellationToken cancellationToken = default) =>
        Migrator.ApplyAsync(adminDataSource, Schema, Migrations, cancellationToken);

    /// <summary>
    /// Makes <paramref name="login"/> a login role with <paramref name="password"/> that belongs to
    /// <see cref="WriterRole"/> and nothing more: it can append and read events, never change them.
    /// </summary>
    public static async Task EnsureLoginRoleAsync(NpgsqlDataSource adminDataSource, string login, string password, CancellationToken cancellationToken = default)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(login, "^[a-z_][a-z0-9_]{0,62}$"))
            throw new ArgumentException($"'{login}' is not a plain lower-case role name.", nameof(login));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureLoginRoleOnceAsync(adminDataSource, login, password, cancellationToken);
                return;
            }
            catch (PostgresException e) when (e.MessageText == "tuple concurrently updated" && attempt < 5)
            {
                // Roles are cluster-wide: another database's set-up touched the same role at the same moment.
            }
        }
    }

    private static async Task EnsureLoginRoleOnceAsync(NpgsqlDataSource adminDataSource, string login, string password, CancellationToken cancellationToken)
    {
        await using var connection = await adminDataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            do $$
            begin
                create role {login} login;
            exception when duplicate_object or unique_violation then null;
            end;
            $$;
            alter role {login} with login password '{password.Replace("'", "''", StringComparison.Ordinal)}';
            grant {WriterRole} to {login};
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
