using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Records.EventStore.Migrations;

/// <summary>One versioned SQL script. File names read <c>NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>The scripts embedded in <paramref name="assembly"/> under the folder <c>Migrations</c>.</summary>
    public static IReadOnlyList<Migration> FromResources(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(".Migrations.") && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = resource[(resource.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..^".sql".Length];
            var separator = file.IndexOf('_');
            if (separator < 1 || !int.TryParse(file[..separator], out var version))
                throw new MigrationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, file[(separator + 1)..], reader.ReadToEnd()));
        }
        return migrations.OrderBy(m => m.Version).ToList();
    }
}

public sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Applies versioned, additive SQL migrations into one schema and records them in
/// <c>{schema}.schema_history</c>. Safe to run from several processes at once: they queue on an
/// advisory lock, and the later ones find the work done. A script changed after it was applied is
/// refused, because history is only ever extended.
/// </summary>
public static class Migrator
{
    public static async Task<IReadOnlyList<Migration>> ApplyAsync(NpgsqlDataSource dataSource, string schema, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"select pg_advisory_xact_lock(hashtextextended('migrations:{schema}', 0))", cancellationToken);
        await Execute(connection, $"""
            create schema if not exists {schema};
            create table if not exists {schema}.schema_history (
                version    integer     primary key,
                name       text        not null,
                checksum   text        not null,
                applied_at timestamptz not null default now());
            """, cancellationToken);

        var applied = new Dictionary<int, string>();
        await using (var select = new NpgsqlCommand($"select version, checksum from {schema}.schema_history", connection))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        var newlyApplied = new List<Migration>();
        foreach (var migration in migrations)
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (checksum != migration.Checksum)
                    throw new MigrationException(
                        $"Migration {migration.Version:D4}_{migration.Name} of schema '{schema}' was changed after it was applied. " +
                        "Migrations are additive: put the change in a new migration.");
                continue;
            }
            await Execute(connection, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand($"insert into {schema}.schema_history (version, name, checksum) values ($1, $2, $3)", connection)
            {
                Parameters = { new() { Value = migration.Version }, new() { Value = migration.Name }, new() { Value = migration.Checksum } },
            };
            await record.ExecuteNonQueryAsync(cancellationToken);
            newlyApplied.Add(migration);
        }
        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
