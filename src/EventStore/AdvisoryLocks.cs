namespace Records.EventStore;

/// <summary>
/// Every advisory lock Records takes, in one place. They share one 64-bit key space per database, and
/// two uses of one key block each other (a collision once stopped sequencing in the host for an hour).
/// Fixed keys spell "RECORD" and two letters; keys made from a name are <c>hashtextextended(name, seed)</c>.
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>The leading sequencer (session lock; one leads per database).</summary>
    public const long SequencerLeader = 0x5245_434F_5244_5301; // "RECORDS\x01"

    /// <summary>Held by the leading sequencer while it numbers (session); an append notifies only if it can take it shared.</summary>
    public const long SequencerBusy = 0x5245_434F_5244_5302; // "RECORDS\x02"

    /// <summary>The leading webhook dispatcher (session).</summary>
    public const long WebhookLeader = 0x5245_434F_5244_4657; // "RECORDFW"

    /// <summary>The leading provincial platform uploader (session).</summary>
    public const long PlatformLeader = 0x5245_434F_5244_4650; // "RECORDFP"

    // Keys made from names (transaction locks):
    //   hashtextextended(stream id, 0)              the writers of one stream, in an append
    //   hashtextextended('migrations:' || schema, 0) the migrations of one schema
    //   hashtextextended(view name, 1)              an inline view against its rebuild's swap
}
