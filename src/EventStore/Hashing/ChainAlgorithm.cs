using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace Records.EventStore.Hashing;

/// <summary>
/// The digest of the hash chains: SHA-256 by default, or SM3 (GB/T 32905-2016, China's national
/// hash algorithm). Each stored hash records the algorithm's name, so a log can change algorithm
/// and still be verified from its first event.
/// </summary>
public sealed class ChainAlgorithm
{
    public static readonly ChainAlgorithm Sha256 = new("sha256", static data => SHA256.HashData(data));

    public static readonly ChainAlgorithm Sm3 = new("sm3", static data =>
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data.ToArray(), 0, data.Length);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return output;
    });

    private readonly Func<ReadOnlySpan<byte>, byte[]> _hash;

    private ChainAlgorithm(string name, Func<ReadOnlySpan<byte>, byte[]> hash)
    {
        Name = name;
        _hash = hash;
    }

    /// <summary>The name stored beside every hash: <c>sha256</c> or <c>sm3</c>.</summary>
    public string Name { get; }

    /// <summary>32 zero bytes: the "previous hash" of a chain's first link.</summary>
    public static byte[] Genesis => new byte[32];

    public byte[] Hash(ReadOnlySpan<byte> data) => _hash(data);

    public static ChainAlgorithm FromName(string name) => name switch
    {
        "sha256" => Sha256,
        "sm3" => Sm3,
        _ => throw new ArgumentException($"Unknown hash chain algorithm '{name}'; expected 'sha256' or 'sm3'.", nameof(name)),
    };

    public override string ToString() => Name;
}
