using System.Buffers;

namespace Proxy.Protocols.Hpack;

/// <summary>
/// An HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of header fields, newest at index 1, whose size (the sum of
/// 32 + name length + value length over its entries, §4.1) is kept within <see cref="MaxSize"/> by evicting the oldest
/// entries. One per HPACK decoder and one per encoder, mirrored by the peer; not thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Storage: the entries' bytes lie contiguously in one array in insertion order, so an entry's name and value are
/// plain spans. Eviction only moves the start; when an entry does not fit at the end, the live bytes are moved to the
/// front (compaction). The array is sized to twice the largest table, so a compaction frees at least as much as the
/// table holds and its cost is amortised to a copy per byte inserted. Arrays grow on demand up to that bound and are
/// then reused: no allocation in steady state.
/// </para>
/// <para>
/// Spans returned by <see cref="GetName"/> and <see cref="GetValue"/> are valid until the next <see cref="Add"/>,
/// <see cref="SetMaxSize"/> or <see cref="Clear"/>.
/// </para>
/// </remarks>
public sealed class DynamicTable
{
    /// <summary>The size an entry costs beyond its name and value (RFC 7541 §4.1).</summary>
    public const int EntryOverhead = 32;

    private const int StackCopyBytes = 256;

    private byte[] _bytes = [];
    private int _bytesStart;
    private int _bytesEnd;
    private Entry[] _entries = [];
    private int _oldest;

    /// <summary>An empty table whose size may be set up to <paramref name="maxAllowedSize"/>, starting at that size.</summary>
    public DynamicTable(int maxAllowedSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxAllowedSize);
        MaxAllowedSize = maxAllowedSize;
        MaxSize = maxAllowedSize;
    }

    /// <summary>The bound on <see cref="MaxSize"/>: for a decoder, our SETTINGS_HEADER_TABLE_SIZE; for an encoder, the memory we allow.</summary>
    public int MaxAllowedSize { get; }

    /// <summary>The current limit on <see cref="Size"/>, as last set by a dynamic table size update (RFC 7541 §4.2).</summary>
    public int MaxSize { get; private set; }

    /// <summary>The table's size in RFC 7541 §4.1 terms: 32 + name + value, summed over the entries.</summary>
    public int Size { get; private set; }

    /// <summary>The number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>The name of entry <paramref name="index"/>, 1 (newest) to <see cref="Count"/> (oldest).</summary>
    public ReadOnlySpan<byte> GetName(int index)
    {
        ref readonly Entry entry = ref EntryAt(index);
        return _bytes.AsSpan(entry.Offset, entry.NameLength);
    }

    /// <summary>The value of entry <paramref name="index"/>, 1 (newest) to <see cref="Count"/> (oldest).</summary>
    public ReadOnlySpan<byte> GetValue(int index)
    {
        ref readonly Entry entry = ref EntryAt(index);
        return _bytes.AsSpan(entry.Offset + entry.NameLength, entry.ValueLength);
    }

    /// <summary>
    /// Inserts a field as entry 1 (RFC 7541 §4.4): first evicts the oldest entries until it fits; an entry larger than
    /// <see cref="MaxSize"/> empties the table and is not inserted, which is not an error. The name and value may be
    /// spans of this table (a literal whose name is indexed here), even of an entry this insertion evicts.
    /// </summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        long entrySize = (long)EntryOverhead + name.Length + value.Length;
        if (entrySize > MaxSize)
        {
            Clear();
            return;
        }
        while (Size + entrySize > MaxSize) EvictOldest();

        // A name indexed in this table may lie in bytes that eviction released and compaction or this very insertion
        // overwrites: copy it out first. Happens for a literal with incremental indexing whose name is a dynamic entry.
        if (name.Overlaps(_bytes) || value.Overlaps(_bytes))
        {
            AddCopy(name, value);
            return;
        }
        int length = name.Length + value.Length;
        if (_bytesEnd + length > _bytes.Length) MakeRoom(length);
        AddAtEnd(name, value);
    }

    /// <summary>
    /// Sets <see cref="MaxSize"/> (0..<see cref="MaxAllowedSize"/>), evicting the oldest entries until the table fits
    /// (RFC 7541 §4.3). The decoder checks a peer's size update against the limit before calling this.
    /// </summary>
    public void SetMaxSize(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, MaxAllowedSize);
        MaxSize = maxSize;
        while (Size > maxSize) EvictOldest();
    }

    /// <summary>Removes every entry; <see cref="MaxSize"/> is unchanged.</summary>
    public void Clear()
    {
        Count = 0;
        Size = 0;
        _oldest = 0;
        _bytesStart = _bytesEnd = 0;
    }

    /// <summary>
    /// The index (1-based, newest first) of the entry with exactly <paramref name="name"/> and <paramref name="value"/>,
    /// or 0; then <paramref name="nameIndex"/> is the newest entry with the name, or 0. A linear scan, names compared by
    /// length first: a 4 KiB table holds at most 128 entries, usually a dozen.
    /// </summary>
    public int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, out int nameIndex)
    {
        nameIndex = 0;
        for (int index = 1; index <= Count; index++)
        {
            ref readonly Entry entry = ref EntryAt(index);
            if (entry.NameLength != name.Length || !name.SequenceEqual(_bytes.AsSpan(entry.Offset, entry.NameLength))) continue;
            if (entry.ValueLength == value.Length && value.SequenceEqual(_bytes.AsSpan(entry.Offset + entry.NameLength, entry.ValueLength))) return index;
            if (nameIndex == 0) nameIndex = index;
        }
        return 0;
    }

    private ref readonly Entry EntryAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Count);
        int slot = _oldest + Count - index;
        if (slot >= _entries.Length) slot -= _entries.Length;
        return ref _entries[slot];
    }

    private void EvictOldest()
    {
        ref readonly Entry oldest = ref _entries[_oldest];
        Size -= EntryOverhead + oldest.NameLength + oldest.ValueLength;
        Count--;
        if (Count == 0)
        {
            _oldest = 0;
            _bytesStart = _bytesEnd = 0;
            return;
        }
        _oldest = _oldest + 1 == _entries.Length ? 0 : _oldest + 1;
        _bytesStart = _entries[_oldest].Offset;
    }

    private void AddCopy(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        int length = name.Length + value.Length;
        byte[]? rented = null;
        Span<byte> copy = length <= StackCopyBytes ? stackalloc byte[StackCopyBytes] : (rented = ArrayPool<byte>.Shared.Rent(length));
        name.CopyTo(copy);
        value.CopyTo(copy[name.Length..]);
        if (_bytesEnd + length > _bytes.Length) MakeRoom(length);
        AddAtEnd(copy[..name.Length], copy.Slice(name.Length, value.Length));
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    /// <summary>Ensures <paramref name="length"/> bytes fit after the live bytes: compacts, or grows the array when even that is not enough.</summary>
    private void MakeRoom(int length)
    {
        int live = _bytesEnd - _bytesStart;
        if (live + length > _bytes.Length)
        {
            // Twice the largest table: the bound of the amortised argument above. A table never holds more bytes than MaxSize.
            int capacity = Math.Max(live + length, Math.Min(Math.Max(_bytes.Length * 2, 256), 2 * MaxAllowedSize));
            byte[] grown = new byte[capacity];
            _bytes.AsSpan(_bytesStart, live).CopyTo(grown);
            _bytes = grown;
        }
        else
        {
            _bytes.AsSpan(_bytesStart, live).CopyTo(_bytes);
        }
        int shift = _bytesStart;
        for (int i = 0, slot = _oldest; i < Count; i++, slot = slot + 1 == _entries.Length ? 0 : slot + 1) _entries[slot].Offset -= shift;
        _bytesStart = 0;
        _bytesEnd = live;
    }

    private void AddAtEnd(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Count == _entries.Length) GrowEntries();
        int slot = _oldest + Count;
        if (slot >= _entries.Length) slot -= _entries.Length;
        _entries[slot] = new Entry(_bytesEnd, name.Length, value.Length);
        name.CopyTo(_bytes.AsSpan(_bytesEnd));
        value.CopyTo(_bytes.AsSpan(_bytesEnd + name.Length));
        _bytesEnd += name.Length + value.Length;
        Count++;
        Size += EntryOverhead + name.Length + value.Length;
    }

    private void GrowEntries()
    {
        // At most MaxAllowedSize / 32 entries fit; start small, double.
        var grown = new Entry[Math.Max(8, _entries.Length * 2)];
        for (int i = 0, slot = _oldest; i < Count; i++, slot = slot + 1 == _entries.Length ? 0 : slot + 1) grown[i] = _entries[slot];
        _entries = grown;
        _oldest = 0;
    }

    private struct Entry(int offset, int nameLength, int valueLength)
    {
        public int Offset = offset;
        public readonly int NameLength = nameLength;
        public readonly int ValueLength = valueLength;
    }
}
