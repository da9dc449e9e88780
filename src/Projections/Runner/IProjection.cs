using Npgsql;
using Records.EventStore;

namespace Records.Projections.Runner;

/// <summary>
/// A read model built from the global log. Its tables live in a schema of their own, whose name
/// the runner passes in: the live schema (the projection's <see cref="Name"/>) or, during a
/// rebuild, a schema beside it that later takes the live one's place.
/// </summary>
public interface IProjection
{
    /// <summary>The view's name, also its live schema's name: lower case, letters, digits and underscores.</summary>
    string Name { get; }

    /// <summary>The layout of its tables; a new version makes the runner rebuild the view.</summary>
    int Version { get; }

    /// <summary>
    /// Creates the view's (empty) tables in <paramref name="schema"/>, which exists, with the keys its
    /// writes need (primary keys, unique constraints that <c>on conflict</c> names).
    /// </summary>
    Task CreateAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the indexes only its readers need, and the keys no write names (an <c>on conflict</c>).
    /// A rebuild calls it after loading the log into the new tables and before catching up and swapping,
    /// since one index built at once costs far less than one kept up row by row.
    /// </summary>
    Task CreateIndexesAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The parts of each event the view uses besides its identity, type, data and times; a rebuild
    /// reads only those (a read of the whole log is half its columns' cost). Live views are given
    /// whole events: they share one read of the log's end.
    /// </summary>
    EventParts Reads => EventParts.All;

    /// <summary>
    /// Whether <see cref="ApplyAsync"/> reads the view's tables (on its connection). A rebuild folds the
    /// next batch of a view that does not while the previous one's writes run; one that does waits for them.
    /// A live batch of a view that does runs in one repeatable-read snapshot, so what it reads is one state of the view
    /// (and so do the other views' batches that share its transaction).
    /// </summary>
    bool ReadsItsTables => true;

    /// <summary>
    /// Told once a rebuild's tables have taken the live ones' place: a view that keeps anything between
    /// batches (the regulator's memory) lets go of what it kept for the old tables and for the rebuild's.
    /// </summary>
    void Rebuilt() { }

    /// <summary>
    /// Applies events, in global order, inside the runner's transaction: reads what it must on
    /// <paramref name="connection"/> and adds its writes to <paramref name="writes"/>, which the runner
    /// sends with the move of the checkpoint and the commit in one round trip. Other views' writes may
    /// share the transaction: write only to <paramref name="schema"/>, and set
    /// nothing of the transaction or the session.
    /// Must be deterministic: a rebuild applies the same events and must get the same rows.
    /// </summary>
    Task ApplyAsync(NpgsqlConnection connection, string schema, IReadOnlyList<RecordedEvent> events, NpgsqlBatch writes, CancellationToken cancellationToken);
}
