using System.Buffers;
using System.Diagnostics;
using Proxy.Protocols.Http2;

namespace Proxy.Protocols.Hpack;

/// <summary>
/// Decodes HPACK field blocks (RFC 7541) into a caller's <see cref="IHpackHeaderHandler"/>: indexed fields, literals
/// with and without indexing, never-indexed literals, Huffman strings and dynamic table size updates, with the size of
/// the decoded field section bounded. One per connection (it holds the connection's decoding context); not thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// <b>Fragments.</b> A field block may arrive split over HEADERS (or PUSH_PROMISE) and CONTINUATION frames, and each
/// fragment over pipe segments. The decoder is resumable: feed each fragment as it arrives, with
/// <c>endHeaders</c> set on the last. Fields are handed over as soon as they are complete; a representation cut by a
/// fragment or segment boundary is copied into a buffer of the decoder's and finished when the rest arrives, so the
/// caller never has to gather a block. Feed only field block fragments of one block at a time, in order
/// (<see cref="FieldBlockTracker"/> enforces the framing rules that make this so).
/// </para>
/// <para>
/// <b>Limits.</b> The decoded size of a block, counted as RFC 9113 §6.5.2 counts SETTINGS_MAX_HEADER_LIST_SIZE (name +
/// value + 32 per field), may not exceed <see cref="MaxHeaderListSize"/>. The check comes before a field is
/// materialised: string lengths are checked against the remaining budget as soon as they are read (a Huffman string's
/// least possible decoded length), Huffman decoding stops at the budget, and an indexed field is counted before it is
/// handed over. So an HPACK bomb (a few bytes that reference a large table entry many times, or a huge literal) is
/// refused at the field that crosses the limit, having cost no more than the limit. Crossing it is a connection error
/// (<see cref="Http2RejectReason.HeaderListTooLarge"/>, ENHANCE_YOUR_CALM), as in nginx and Kestrel: finishing the
/// block only to keep the table in step would mean doing the bomb's work. Advertise the same limit in
/// SETTINGS_MAX_HEADER_LIST_SIZE so that well-behaved peers never cross it.
/// </para>
/// <para>
/// <b>Errors.</b> Every HPACK error ends the connection (RFC 9113 §4.3): <see cref="Http2RejectException"/>, connection
/// scope, COMPRESSION_ERROR (or ENHANCE_YOUR_CALM for the size limit). After one, the decoder must not be used again
/// until <see cref="Reset"/>.
/// </para>
/// <para>
/// <b>Cost.</b> No allocation in steady state: the dynamic table, the Huffman output buffer and the buffer for cut
/// representations are arrays owned by the decoder, grown on demand (to at most twice the table size, the header list
/// limit, and about four times the header list limit respectively) and then reused.
/// </para>
/// </remarks>
public sealed class HpackDecoder
{
    private readonly DynamicTable _table;
    private readonly int _initialTableSize;
    private int _tableSizeLimit;
    private bool _sizeUpdateRequired;

    private bool _inBlock;
    private bool _fieldSeen;
    private long _headerListSize;

    private byte[] _carry = [];
    private int _carryLength;
    private int _carryNeeded;

    private byte[] _scratch = [];

    /// <summary>
    /// A decoder for a new connection that refuses a field block whose decoded size exceeds
    /// <paramref name="maxHeaderListSize"/>.
    /// </summary>
    /// <param name="maxDynamicTableSize">The largest SETTINGS_HEADER_TABLE_SIZE we will advertise.</param>
    /// <param name="maxHeaderListSize">The decoded size limit; advertise it as SETTINGS_MAX_HEADER_LIST_SIZE.</param>
    /// <param name="initialDynamicTableSize">
    /// The table size in force before our SETTINGS are acknowledged: the protocol's initial value, 4096 (RFC 9113
    /// §6.5.2), which the peer's encoder may use until then whatever we advertise. Call
    /// <see cref="SetMaxDynamicTableSize"/> with the advertised value once the peer acknowledges it.
    /// </param>
    public HpackDecoder(int maxDynamicTableSize, int maxHeaderListSize, int initialDynamicTableSize = (int)Http2Settings.DefaultHeaderTableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDynamicTableSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeaderListSize);
        ArgumentOutOfRangeException.ThrowIfNegative(initialDynamicTableSize);
        _table = new DynamicTable(Math.Max(maxDynamicTableSize, initialDynamicTableSize));
        _initialTableSize = initialDynamicTableSize;
        _table.SetMaxSize(initialDynamicTableSize);
        _tableSizeLimit = initialDynamicTableSize;
        MaxHeaderListSize = maxHeaderListSize;
    }

    /// <summary>The connection's decoding table, for inspection (tests, metrics). Do not modify it.</summary>
    public DynamicTable DynamicTable => _table;

    /// <summary>The most a field block may decode to, in RFC 9113 §6.5.2 terms.</summary>
    public int MaxHeaderListSize { get; }

    /// <summary>The current bound on size updates: the SETTINGS_HEADER_TABLE_SIZE in force.</summary>
    public int MaxDynamicTableSizeLimit => _tableSizeLimit;

    /// <summary>The decoded size (name + value + 32 per field) of the block being decoded, or of the last one.</summary>
    public long HeaderListSize => _headerListSize;

    /// <summary>True between the first fragment of a block and the one with END_HEADERS.</summary>
    public bool IsInsideBlock => _inBlock;

    /// <summary>
    /// Sets the bound on the peer's table size (our SETTINGS_HEADER_TABLE_SIZE, 0..the larger of the constructor's
    /// maximum and initial sizes), to be called
    /// when the peer acknowledges the SETTINGS frame that changed it. When the bound falls below the table's current
    /// size limit, the next block must begin with a size update (RFC 7541 §4.2), else
    /// <see cref="Http2RejectReason.HpackTableSizeUpdateMissing"/>.
    /// </summary>
    public void SetMaxDynamicTableSize(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, _table.MaxAllowedSize);
        _tableSizeLimit = maxSize;
        if (maxSize < _table.MaxSize) _sizeUpdateRequired = true;
    }

    /// <summary>
    /// Decodes one fragment of a field block, calling <paramref name="handler"/> for each field completed by it.
    /// <paramref name="endHeaders"/> marks the last fragment (END_HEADERS): the block must then end on a representation
    /// boundary. Throws <see cref="Http2RejectException"/> as described on the type.
    /// </summary>
    public void Decode<THandler>(ReadOnlySpan<byte> fragment, bool endHeaders, ref THandler handler)
        where THandler : struct, IHpackHeaderHandler
    {
        BeginFragment();
        DecodeSpan(fragment, ref handler);
        if (endHeaders) EndBlock();
    }

    /// <summary>As <see cref="Decode{THandler}(ReadOnlySpan{byte}, bool, ref THandler)"/>, for a fragment that may span segments.</summary>
    public void Decode<THandler>(in ReadOnlySequence<byte> fragment, bool endHeaders, ref THandler handler)
        where THandler : struct, IHpackHeaderHandler
    {
        BeginFragment();
        if (fragment.IsSingleSegment)
        {
            DecodeSpan(fragment.FirstSpan, ref handler);
        }
        else
        {
            foreach (ReadOnlyMemory<byte> segment in fragment) DecodeSpan(segment.Span, ref handler);
        }
        if (endHeaders) EndBlock();
    }

    /// <summary>Forgets everything (a new connection): empty table at the initial size, no block open.</summary>
    public void Reset()
    {
        _table.Clear();
        _table.SetMaxSize(_initialTableSize);
        _tableSizeLimit = _initialTableSize;
        _sizeUpdateRequired = false;
        _inBlock = false;
        _fieldSeen = false;
        _headerListSize = 0;
        _carryLength = 0;
        _carryNeeded = 0;
    }

    private void BeginFragment()
    {
        if (_inBlock) return;
        _inBlock = true;
        _fieldSeen = false;
        _headerListSize = 0;
    }

    private void EndBlock()
    {
        if (_carryLength > 0) Http2RejectException.ThrowConnectionError(Http2RejectReason.HpackTruncatedBlock);
        if (_sizeUpdateRequired) Http2RejectException.ThrowConnectionError(Http2RejectReason.HpackTableSizeUpdateMissing);
        _inBlock = false;
    }

    private void DecodeSpan<THandler>(ReadOnlySpan<byte> input, ref THandler handler)
        where THandler : struct, IHpackHeaderHandler
    {
        int position = _carryLength > 0 ? ContinueCarry(input, ref handler) : 0;
        if (_carryLength > 0) return;
        while (position < input.Length)
        {
            int consumed = DecodeRepresentation(input[position..], ref handler, out int needed);
            if (consumed == 0)
            {
                StartCarry(input[position..], needed);
                return;
            }
            position += consumed;
        }
    }

    /// <summary>Completes the representation held in the carry buffer with bytes from <paramref name="input"/>; returns the bytes used.</summary>
    private int ContinueCarry<THandler>(ReadOnlySpan<byte> input, ref THandler handler)
        where THandler : struct, IHpackHeaderHandler
    {
        int position = 0;
        while (true)
        {
            // Take exactly what the representation is known to need, so that it ends at the end of the carry.
            int take = Math.Min(_carryNeeded - _carryLength, input.Length - position);
            if (take == 0) return position;
            EnsureCarryCapacity(_carryLength + take);
            input.Slice(position, take).CopyTo(_carry.AsSpan(_carryLength));
            _carryLength += take;
            position += take;

            int consumed = DecodeRepresentation(_carry.AsSpan(0, _carryLength), ref handler, out int needed);
            if (consumed > 0)
            {
                Debug.Assert(consumed == _carryLength, "the carry is filled only to what the representation needs");
                _carryLength = 0;
                return position;
            }
            _carryNeeded = needed;
        }
    }

    private void StartCarry(ReadOnlySpan<byte> partial, int needed)
    {
        EnsureCarryCapacity(Math.Max(partial.Length, 64));
        partial.CopyTo(_carry);
        _carryLength = partial.Length;
        _carryNeeded = needed;
    }

    private void EnsureCarryCapacity(int length)
    {
        if (length <= _carry.Length) return;
        byte[] grown = new byte[Math.Max(length, _carry.Length * 2)];
        _carry.AsSpan(0, _carryLength).CopyTo(grown);
        _carry = grown;
    }

    /// <summary>
    /// Decodes the representation at the start of <paramref name="source"/>. Returns its length, or 0 when
    /// <paramref name="source"/> ends before it does, with no effect then but <paramref name="needed"/>: the length the
    /// representation has at least (exact once its last string's length is known).
    /// </summary>
    private int DecodeRepresentation<THandler>(ReadOnlySpan<byte> source, ref THandler handler, out int needed)
        where THandler : struct, IHpackHeaderHandler
    {
        needed = source.Length + 1;
        byte first = source[0];

        // RFC 7541 §6.1, indexed header field: 1xxxxxxx, index with a 7-bit prefix.
        if ((first & 0x80) != 0)
        {
            if (!HpackIntegers.TryDecode(source, 7, out int index, out int length)) return 0;
            BeginField();
            ReadOnlySpan<byte> indexedName = NameAt(index);
            ReadOnlySpan<byte> indexedValue = index <= StaticTable.Count ? StaticTable.GetValue(index) : _table.GetValue(index - StaticTable.Count);
            Account(indexedName.Length, indexedValue.Length);
            handler.OnHeader(indexedName, indexedValue, index <= StaticTable.Count ? index : 0, neverIndexed: false);
            return length;
        }

        // RFC 7541 §6.3, dynamic table size update: 001xxxxx, size with a 5-bit prefix.
        if ((first & 0xE0) == 0x20)
        {
            if (!HpackIntegers.TryDecode(source, 5, out int size, out int length)) return 0;
            if (_fieldSeen) Http2RejectException.ThrowConnectionError(Http2RejectReason.HpackTableSizeUpdateNotAtStart);
            if (size > _tableSizeLimit) Http2RejectException.ThrowConnectionError(Http2RejectReason.HpackTableSizeUpdateTooLarge);
            _table.SetMaxSize(size);
            _sizeUpdateRequired = false;
            return length;
        }

        // RFC 7541 §6.2, literals: 01xxxxxx with incremental indexing (6-bit prefix); 0000xxxx without indexing and
        // 0001xxxx never indexed (4-bit prefix). The prefix holds the name's index, or 0 for a literal name.
        bool incremental = (first & 0xC0) == 0x40;
        bool neverIndexed = !incremental && (first & 0x10) != 0;
        if (!HpackIntegers.TryDecode(source, incremental ? 6 : 4, out int nameIndex, out int position)) return 0;
        BeginField();

        ReadOnlySpan<byte> nameFromTable = default;
        ReadOnlySpan<byte> encodedName = default;
        bool nameHuffman = false;
        int nameMinLength;
        if (nameIndex != 0)
        {
            nameFromTable = NameAt(nameIndex);
            nameMinLength = nameFromTable.Length;
        }
        else
        {
            if (!TryReadStringLength(source, ref position, out int nameLength, out nameHuffman)) return 0;
            nameMinLength = nameHuffman ? Huffman.MinDecodedLength(nameLength) : nameLength;
            CheckBudget(nameMinLength, 0);
            if (source.Length - position < nameLength)
            {
                needed = NeededFor(position, nameLength);
                return 0;
            }
            encodedName = source.Slice(position, nameLength);
            position += nameLength;
        }

        if (!TryReadStringLength(source, ref position, out int valueLength, out bool valueHuffman)) return 0;
        CheckBudget(nameMinLength, valueHuffman ? Huffman.MinDecodedLength(valueLength) : valueLength);
        if (source.Length - position < valueLength)
        {
            needed = NeededFor(position, valueLength);
            return 0;
        }
        ReadOnlySpan<byte> encodedValue = source.Slice(position, valueLength);
        position += valueLength;

        // Complete: decode the strings into the scratch buffer, name first, within what remains of the budget.
        long budget = MaxHeaderListSize - _headerListSize - DynamicTable.EntryOverhead;
        int scratchUsed = 0;
        ReadOnlySpan<byte> name = nameIndex != 0 ? nameFromTable : DecodeString(encodedName, nameHuffman, budget, ref scratchUsed);
        ReadOnlySpan<byte> value = DecodeString(encodedValue, valueHuffman, budget - name.Length, ref scratchUsed);
        Account(name.Length, value.Length);

        handler.OnHeader(name, value, nameIndex <= StaticTable.Count ? nameIndex : 0, neverIndexed);
        // After the handler: the insertion may evict the entry the name came from, or move the table's bytes.
        if (incremental) _table.Add(name, value);
        return position;
    }

    /// <summary>The bytes a representation needs when a string of <paramref name="length"/> starts at <paramref name="position"/>, without overflow.</summary>
    private static int NeededFor(int position, int length) => (int)Math.Min(int.MaxValue, (long)position + length);

    private void BeginField()
    {
        if (_fieldSeen) return;
        // RFC 7541 §4.2: after the limit was lowered, the block must start with a size update.
        if (_sizeUpdateRequired) Http2RejectException.ThrowConnectionError(Http2RejectReason.HpackTableSizeUpdateMissing);
        _fieldSeen = true;
    }

    private ReadOnlySpan<byte> NameAt(int index)
    {
        if (index == 0 || index > StaticTable.Count + _table.Count) Http2RejectException.ThrowConnectionError(Http2RejectReason.HpackInvalidIndex);
        return index <= StaticTable.Count ? StaticTable.GetName(index) : _table.GetName(index - StaticTable.Count);
    }

    /// <summary>
    /// RFC 7541 §5.2 string header: H bit and a 7-bit-prefix length. False when the length is not all there.
    /// <code>
    /// +---+---+---+---+---+---+---+---+
    /// | H |    String Length (7+)     |
    /// +---+---------------------------+
    /// |  String Data (Length octets)  |
    /// +-------------------------------+
    /// </code>
    /// </summary>
    private static bool TryReadStringLength(ReadOnlySpan<byte> source, ref int position, out int length, out bool huffman)
    {
        huffman = position < source.Length && (source[position] & 0x80) != 0;
        if (!HpackIntegers.TryDecode(source[position..], 7, out length, out int consumed)) return false;
        position += consumed;
        return true;
    }

    /// <summary>Refuses a field whose decoded name and value are already known to be at least this long, if that crosses the limit.</summary>
    private void CheckBudget(long nameLength, long valueLength)
    {
        if (_headerListSize + DynamicTable.EntryOverhead + nameLength + valueLength > MaxHeaderListSize)
            Http2RejectException.ThrowConnectionError(Http2RejectReason.HeaderListTooLarge);
    }

    private void Account(int nameLength, int valueLength)
    {
        CheckBudget(nameLength, valueLength);
        _headerListSize += DynamicTable.EntryOverhead + nameLength + valueLength;
    }

    /// <summary>A raw string as is; a Huffman string decoded into the scratch buffer after what is used, stopping at <paramref name="budget"/> bytes.</summary>
    private ReadOnlySpan<byte> DecodeString(ReadOnlySpan<byte> encoded, bool huffman, long budget, ref int scratchUsed)
    {
        if (!huffman) return encoded;
        int room = (int)Math.Min(budget, Huffman.MaxDecodedLength(encoded.Length));
        if (room < 0) room = 0;
        EnsureScratch(scratchUsed + room);
        Span<byte> destination = _scratch.AsSpan(scratchUsed, room);
        if (!Huffman.TryDecode(encoded, destination, out int written))
        {
            // Only the budget can be too small: MaxDecodedLength bounds what any input decodes to.
            Http2RejectException.ThrowConnectionError(Http2RejectReason.HeaderListTooLarge);
        }
        scratchUsed += written;
        return destination[..written];
    }

    private void EnsureScratch(int length)
    {
        if (length <= _scratch.Length) return;
        // Grows to what a field needs, never past the header list limit (the budget bounds room): then reused.
        byte[] grown = new byte[Math.Max(length, Math.Min(Math.Max(_scratch.Length * 2, 256), MaxHeaderListSize))];
        _scratch.AsSpan().CopyTo(grown);
        _scratch = grown;
    }
}
