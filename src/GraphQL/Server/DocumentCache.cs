using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Records.GraphQL.Language;

namespace Records.GraphQL.Server;

/// <summary>
/// Parsed documents that passed validation, keyed by the SHA-256 of their text: a bounded, thread-safe LRU.
/// A hit skips lexing, parsing and validation entirely; the key is a fixed 32 bytes whatever the document's size.
/// </summary>
public sealed class DocumentCache
{
    private readonly int _capacity;
    private readonly Dictionary<DocumentKey, LinkedListNode<(DocumentKey Key, DocumentNode Document)>> _entries = [];
    private readonly LinkedList<(DocumentKey Key, DocumentNode Document)> _recency = new();
    private readonly Lock _lock = new();

    public DocumentCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    /// <summary>The key of a document text.</summary>
    public static DocumentKey KeyOf(string text)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(text.AsSpan()), hash);
        return new(MemoryMarshal.Read<Int128>(hash), MemoryMarshal.Read<Int128>(hash[16..]));
    }

    public bool TryGet(DocumentKey key, out DocumentNode document)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                document = node.Value.Document;
                return true;
            }
        }
        document = null!;
        return false;
    }

    public void Add(DocumentKey key, DocumentNode document)
    {
        lock (_lock)
        {
            if (_entries.ContainsKey(key)) return;
            if (_entries.Count == _capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
            _entries[key] = _recency.AddFirst((key, document));
        }
    }
}

/// <summary>The SHA-256 of a document's text, as two 128-bit halves.</summary>
public readonly record struct DocumentKey(Int128 High, Int128 Low);
