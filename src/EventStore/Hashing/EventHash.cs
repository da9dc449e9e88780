using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using NodaTime;

namespace Records.EventStore.Hashing;

/// <summary>
/// The links of the two hash chains, byte for byte (docs/hash-chains.md describes them for a
/// third-party verifier). A link's input is a label, then each field in a fixed order, each
/// length- or presence-prefixed so that no two different rows encode alike:
/// strings as a 4-byte big-endian byte length and UTF-8 (length 0xFFFFFFFF for null),
/// integers as 8 bytes big-endian, instants as microseconds since the Unix epoch (8 bytes) behind a
/// presence byte, uuids as 16 bytes in RFC 4122 order behind a presence byte, booleans as one byte
/// (0 false, 1 true, 2 null).
/// </summary>
public static class EventHash
{
    /// <summary>
    /// A stream link: covers the previous event's hash and every stored field of this event.
    /// <paramref name="canonicalData"/> is the data in <see cref="CanonicalJson"/> form.
    /// </summary>
    public static byte[] ForEvent(
        ChainAlgorithm algorithm, ReadOnlySpan<byte> previousHash, Guid eventId, string streamId, string streamType,
        long version, string eventType, ReadOnlySpan<byte> canonicalData, Instant recordedAt, EventMetadata metadata)
    {
        var input = new ArrayBufferWriter<byte>(256 + canonicalData.Length);
        WriteString(input, "records.event.v1");
        WriteString(input, algorithm.Name);
        WriteBytes(input, previousHash);
        WriteGuid(input, eventId);
        WriteString(input, streamId);
        WriteString(input, streamType);
        WriteInt64(input, version);
        WriteString(input, eventType);
        WriteBytes(input, canonicalData);
        WriteInstant(input, recordedAt);
        WriteInstant(input, metadata.ClaimedAt);
        WriteString(input, metadata.Actor?.Id);
        WriteString(input, metadata.Actor?.Role);
        WriteBoolean(input, metadata.Actor?.RealNameVerified);
        WriteString(input, metadata.InstitutionId);
        WriteGuid(input, metadata.CommandId);
        WriteGuid(input, metadata.CorrelationId);
        WriteGuid(input, metadata.CausationId);
        WriteString(input, metadata.ClientId);
        WriteString(input, metadata.DeviceId);
        WriteString(input, metadata.PurposeOfUse);
        return algorithm.Hash(input.WrittenSpan);
    }

    /// <summary>A global link: covers the previous link, the sequence number and the event's own hash.</summary>
    public static byte[] ForSequence(ChainAlgorithm algorithm, ReadOnlySpan<byte> previousChainHash, long sequence, ReadOnlySpan<byte> eventHash)
    {
        var input = new ArrayBufferWriter<byte>(128);
        WriteString(input, "records.sequence.v1");
        WriteString(input, algorithm.Name);
        WriteBytes(input, previousChainHash);
        WriteInt64(input, sequence);
        WriteBytes(input, eventHash);
        return algorithm.Hash(input.WrittenSpan);
    }

    /// <summary>PostgreSQL keeps microseconds; hashes cover what is stored.</summary>
    public static Instant ToStoredPrecision(Instant instant) =>
        Instant.FromUnixTimeTicks(instant.ToUnixTimeTicks() / 10 * 10);

    private static void WriteString(ArrayBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteLength(output, uint.MaxValue);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        WriteLength(output, (uint)length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    private static void WriteBytes(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteLength(output, (uint)value.Length);
        output.Write(value);
    }

    private static void WriteLength(ArrayBufferWriter<byte> output, uint length)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(4), length);
        output.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteInstant(ArrayBufferWriter<byte> output, Instant? value)
    {
        output.Write([value.HasValue ? (byte)1 : (byte)0]);
        if (value is { } instant) WriteInt64(output, instant.ToUnixTimeTicks() / 10);
    }

    private static void WriteGuid(ArrayBufferWriter<byte> output, Guid? value)
    {
        output.Write([value.HasValue ? (byte)1 : (byte)0]);
        if (value is { } guid)
        {
            guid.TryWriteBytes(output.GetSpan(16), bigEndian: true, out _);
            output.Advance(16);
        }
    }

    private static void WriteBoolean(ArrayBufferWriter<byte> output, bool? value) =>
        output.Write([value switch { false => (byte)0, true => (byte)1, null => (byte)2 }]);
}
