using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Records.Projections.Views;

/// <summary>Set-based writes: a view gives a batch's rows as arrays, one statement per table, for the runner to send in one round trip.</summary>
internal static class Sql
{
    public static DateTime? Time(Instant? instant) => instant?.ToDateTimeUtc();

    public static Instant? OptionalInstant(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : NodaTime.Instant.FromDateTimeUtc(reader.GetDateTime(ordinal));

    public static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A statement whose <c>$n</c> parameters are <paramref name="arrays"/> (for <c>unnest</c>).</summary>
    public static NpgsqlBatchCommand Command(string sql, params Array[] arrays)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var array in arrays) command.Parameters.Add(Parameter(array));
        return command;
    }

    /// <summary>
    /// An upsert of one batch's rows, given column by column (the key's columns first). The rows
    /// carry changes only: a null keeps the stored value, and <c>last_sequence</c> keeps the greater.
    /// </summary>
    public static NpgsqlBatchCommand Upsert(string table, string key, params (string Name, string Type, Array Values)[] columns)
    {
        var keys = key.Split(',', StringSplitOptions.TrimEntries);
        var sets = columns.Where(c => !keys.Contains(c.Name)).Select(c => c.Name == "last_sequence"
            ? "last_sequence = greatest(excluded.last_sequence, t.last_sequence)"
            : $"{c.Name} = coalesce(excluded.{c.Name}, t.{c.Name})");
        return Command(
            $"insert into {table} as t ({string.Join(", ", columns.Select(c => c.Name))}) " +
            $"select * from unnest({string.Join(", ", columns.Select((c, i) => $"${i + 1}::{c.Type}[]"))}) " +
            $"on conflict ({key}) do update set {string.Join(", ", sets)}",
            [.. columns.Select(c => c.Values)]);
    }

    private static NpgsqlParameter Parameter(Array array) => array switch
    {
        // Typed explicitly so that an array of only nulls still has its column's type.
        string?[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        DateTime?[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
        DateOnly?[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date },
        bool?[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean },
        int?[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
        long?[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
        _ => new NpgsqlParameter { Value = array },
    };

    /// <summary>Adds the statements that have rows to write to <paramref name="writes"/>.</summary>
    public static void Add(NpgsqlBatch writes, IEnumerable<(bool HasRows, Func<NpgsqlBatchCommand> Build)> statements)
    {
        foreach (var (hasRows, build) in statements)
        {
            if (hasRows) writes.BatchCommands.Add(build());
        }
    }

    public static async Task CreateAsync(NpgsqlConnection connection, string ddl, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ddl, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
