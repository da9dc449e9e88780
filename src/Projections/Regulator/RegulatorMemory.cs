using NodaTime;

namespace Records.Projections.Regulator;

/// <summary>
/// What one schema of the regulator view holds after the last batch this process applied to it: the facts
/// batches read or wrote, every open obligation, and which keys the facts table holds. A batch that starts
/// where the memory ends reads from it instead of the tables (most batches then read nothing before they
/// write, new records included: a key the table does not hold has no facts to read); a batch that starts
/// anywhere else forgets it: another writer moved the checkpoint, or the last batch was undone. A batch
/// keeps it only if what it read of the tables was the state it started from (<see cref="Workspace.ReadAt"/>),
/// so the memory is always a state of the view at its position, committed by this writer or not. The view
/// is deterministic, so that state is what the tables hold when the checkpoint is there, whoever wrote them.
/// </summary>
internal sealed class RegulatorMemory
{
    /// <summary>The last event applied to what the memory holds.</summary>
    public long Position { get; set; }

    /// <summary>Which of <see cref="RegulatorMemories"/>' lives it was taken in: one taken before the last rebuild is not kept.</summary>
    public int Generation { get; init; }

    /// <summary>Facts by key; null where the view holds none.</summary>
    public Dictionary<string, Facts?> Facts { get; } = [];

    /// <summary>Whether <see cref="Open"/> holds every open obligation of the schema, and the memory every key of its facts (read once, then kept).</summary>
    public bool Loaded { get; set; }

    /// <summary>The open obligations by id, once loaded.</summary>
    public Dictionary<string, Obligation> Open { get; } = [];

    /// <summary>The same, by deadline.</summary>
    public SortedSet<(Instant Due, string Id)> ByDue { get; } = [];

    // The hash codes of the keys the facts table holds: codes rather than keys, about 20 bytes a record (a million
    // records, tens of megabytes; their keys would take over a hundred). Two keys sharing a code cost only a needless read.
    private readonly HashSet<int> _storedCodes = [];

    /// <summary>Whether the facts table may hold <paramref name="key"/>: false only when it certainly does not.</summary>
    public bool MayStore(string key) => !Loaded || _storedCodes.Contains(Code(key));

    /// <summary>Notes that the facts table holds <paramref name="key"/> (read from it, or written to it by the batch).</summary>
    public void Stored(string key) => _storedCodes.Add(Code(key));

    // Within one process only (string hash codes differ between processes), as the memory is.
    private static int Code(string key) => StringComparer.Ordinal.GetHashCode(key);
}

/// <summary>
/// The memories of a projection's schemas, each used by one batch at a time: a batch takes its schema's
/// memory out and puts it back, moved to its last event, once its writes are queued.
/// </summary>
internal sealed class RegulatorMemories(int factsKept)
{
    private readonly Dictionary<string, RegulatorMemory> _bySchema = [];
    private int _generation;

    /// <summary>The memory of <paramref name="schema"/> if it ends at <paramref name="position"/>, or a new, empty one.</summary>
    public RegulatorMemory Take(string schema, long position)
    {
        lock (_bySchema)
        {
            return _bySchema.Remove(schema, out var memory) && memory.Position == position ? memory : new RegulatorMemory { Generation = _generation };
        }
    }

    /// <summary>Keeps <paramref name="memory"/> for the batch that starts after <paramref name="position"/>; past the size asked for, it keeps no facts.</summary>
    public void Keep(string schema, RegulatorMemory memory, long position)
    {
        memory.Position = position;
        if (memory.Facts.Count > factsKept) memory.Facts.Clear();
        lock (_bySchema)
        {
            if (memory.Generation == _generation) _bySchema[schema] = memory;
        }
    }

    /// <summary>Forgets every memory, and any a batch now running would keep: the tables were rebuilt.</summary>
    public void Clear()
    {
        lock (_bySchema)
        {
            _bySchema.Clear();
            _generation++;
        }
    }
}
