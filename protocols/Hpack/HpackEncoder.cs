using System.Buffers;
using System.Text;

namespace Proxy.Protocols.Hpack;

/// <summary>
/// Encodes header fields into HPACK field blocks (RFC 7541), written into an <see cref="IBufferWriter{T}"/>. One per
/// connection (it holds the connection's encoding context, mirrored by the peer's decoder); not thread-safe; no
/// allocation in steady state.
/// </summary>
/// <remarks>
/// <para>
/// A block is <see cref="BeginBlock"/> (which emits any pending dynamic table size update, RFC 7541 §4.2), then one
/// <see cref="Encode"/> per field; the caller frames the bytes with <see cref="Http2.FrameWriter.WriteHeaders(IBufferWriter{byte}, int, ReadOnlySpan{byte}, bool, int)"/>.
/// Blocks must reach the peer in the order they were encoded.
/// </para>
/// <para>
/// Names are written lowercase (RFC 9113 §8.2.1) whatever case they arrive in, so an HTTP/1.1 head can be re-encoded as
/// is; values are written as given (validating them is the caller's job). A field already in the static or dynamic
/// table is one index; otherwise a literal whose name is an index when the name is known (the static table first, as
/// the RFC 7541 examples do). String literals are Huffman-coded when that is strictly shorter (at equal length the raw
/// bytes are cheaper for the peer to decode).
/// </para>
/// <para>
/// Indexing policy (<see cref="HpackIndexing.Auto"/>): authorization, proxy-authorization, cookie and set-cookie are
/// never indexed, so that a secret never sits in a table another request on the connection could probe by size
/// (RFC 7541 §7.1) — at the cost of sending cookies whole every time. Values that change with every message are sent
/// without indexing, so they do not evict the fields that repeat. Everything else is indexed when its entry takes at
/// most three quarters of the table.
/// </para>
/// </remarks>
public sealed class HpackEncoder
{
    private const int StackNameBytes = 256;

    private readonly DynamicTable _table;
    private int _pendingMinSize = -1;
    private int _pendingFinalSize = -1;

    /// <summary>
    /// An encoder whose dynamic table holds at most <paramref name="maxDynamicTableSize"/> bytes (RFC 7541 §4.1 size), and
    /// less when the peer's SETTINGS_HEADER_TABLE_SIZE says so. The peer's decoder starts at 4096 (RFC 9113 §6.5.2); a
    /// smaller maximum is announced with a size update in the first block.
    /// </summary>
    public HpackEncoder(int maxDynamicTableSize = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDynamicTableSize);
        _table = new DynamicTable(maxDynamicTableSize);
        int initial = (int)Math.Min(maxDynamicTableSize, Http2.Http2Settings.DefaultHeaderTableSize);
        _table.SetMaxSize(initial);
        if (initial < Http2.Http2Settings.DefaultHeaderTableSize) _pendingMinSize = _pendingFinalSize = initial;
    }

    /// <summary>The connection's encoding table, for inspection (tests, metrics). Do not modify it.</summary>
    public DynamicTable DynamicTable => _table;

    /// <summary>Whether string literals may be Huffman-coded (when strictly shorter). On by default.</summary>
    public bool UseHuffman { get; set; } = true;

    /// <summary>
    /// Takes the peer's SETTINGS_HEADER_TABLE_SIZE: the table's limit becomes the smaller of it and the constructor's
    /// maximum, announced by a size update at the start of the next block (the smallest size in between first, when it
    /// went down and up again, RFC 7541 §4.2).
    /// </summary>
    public void SetPeerHeaderTableSize(uint headerTableSize)
    {
        int size = (int)Math.Min(headerTableSize, (uint)_table.MaxAllowedSize);
        int current = _pendingFinalSize >= 0 ? _pendingFinalSize : _table.MaxSize;
        if (size == current) return;
        _pendingMinSize = _pendingMinSize < 0 ? size : Math.Min(_pendingMinSize, size);
        _pendingFinalSize = size;
    }

    /// <summary>Starts a field block: writes the pending dynamic table size updates, if any, and applies them.</summary>
    public void BeginBlock(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_pendingFinalSize < 0) return;
        Span<byte> span = output.GetSpan(2 * HpackIntegers.MaxEncodedLength);
        int written = 0;
        if (_pendingMinSize < _pendingFinalSize) written += WriteSizeUpdate(_pendingMinSize, span);
        written += WriteSizeUpdate(_pendingFinalSize, span[written..]);
        output.Advance(written);
        _pendingMinSize = _pendingFinalSize = -1;
    }

    /// <summary>
    /// Encodes one field at the end of the current block. <paramref name="name"/> may be in any case; it is written
    /// lowercase. See the type's remarks for how the representation is chosen.
    /// </summary>
    public void Encode(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, HpackIndexing indexing = HpackIndexing.Auto)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (name.IndexOfAnyInRange((byte)'A', (byte)'Z') < 0)
        {
            EncodeLowercase(output, name, value, indexing);
            return;
        }
        byte[]? rented = null;
        Span<byte> lower = name.Length <= StackNameBytes ? stackalloc byte[StackNameBytes] : (rented = ArrayPool<byte>.Shared.Rent(name.Length));
        Ascii.ToLower(name, lower, out int length);
        EncodeLowercase(output, lower[..length], value, indexing);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    /// <summary>Encodes <c>:status</c> (100..999): one byte for the seven statuses of the static table.</summary>
    public void EncodeStatus(IBufferWriter<byte> output, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 999);
        int staticIndex = statusCode switch { 200 => 8, 204 => 9, 206 => 10, 304 => 11, 400 => 12, 404 => 13, 500 => 14, _ => 0 };
        if (staticIndex != 0)
        {
            Span<byte> span = output.GetSpan(1);
            span[0] = (byte)(0x80 | staticIndex);
            output.Advance(1);
            return;
        }
        Span<byte> digits = [(byte)('0' + statusCode / 100), (byte)('0' + statusCode / 10 % 10), (byte)('0' + statusCode % 10)];
        EncodeLowercase(output, ":status"u8, digits, HpackIndexing.Auto);
    }

    /// <summary>Forgets everything (a new connection): empty table, as if just constructed.</summary>
    public void Reset()
    {
        _table.Clear();
        int initial = (int)Math.Min(_table.MaxAllowedSize, Http2.Http2Settings.DefaultHeaderTableSize);
        _table.SetMaxSize(initial);
        _pendingMinSize = _pendingFinalSize = initial < Http2.Http2Settings.DefaultHeaderTableSize ? initial : -1;
    }

    private void EncodeLowercase(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, HpackIndexing indexing)
    {
        // Decided before the table lookups, so a secret is never sent as an index, even if someone forced it into the table.
        if (indexing == HpackIndexing.Auto && IsSensitive(name)) indexing = HpackIndexing.NeverIndexed;
        int staticIndex = StaticTable.Find(name, value, out int nameIndex);
        if (indexing != HpackIndexing.NeverIndexed)
        {
            if (staticIndex != 0)
            {
                WriteIndexed(output, staticIndex);
                return;
            }
            int dynamicIndex = _table.Find(name, value, out int dynamicNameIndex);
            if (dynamicIndex != 0)
            {
                WriteIndexed(output, StaticTable.Count + dynamicIndex);
                return;
            }
            if (nameIndex == 0 && dynamicNameIndex != 0) nameIndex = StaticTable.Count + dynamicNameIndex;
        }
        else if (nameIndex == 0)
        {
            _table.Find(name, [], out int dynamicNameIndex);
            if (dynamicNameIndex != 0) nameIndex = StaticTable.Count + dynamicNameIndex;
        }

        if (indexing == HpackIndexing.Auto) indexing = Choose(name, value);

        // RFC 7541 §6.2: 01 + 6-bit index (incremental), 0000 + 4-bit index (without), 0001 + 4-bit index (never).
        (byte pattern, int prefixBits) = indexing switch
        {
            HpackIndexing.Incremental => ((byte)0x40, 6),
            HpackIndexing.NeverIndexed => ((byte)0x10, 4),
            _ => ((byte)0x00, 4),
        };
        int maxLength = HpackIntegers.MaxEncodedLength + (nameIndex == 0 ? HpackIntegers.MaxEncodedLength + name.Length : 0)
            + HpackIntegers.MaxEncodedLength + value.Length;
        Span<byte> span = output.GetSpan(maxLength);
        int written = HpackIntegers.Encode(nameIndex, prefixBits, pattern, span);
        if (nameIndex == 0) written += WriteString(name, span[written..]);
        written += WriteString(value, span[written..]);
        output.Advance(written);

        if (indexing == HpackIndexing.Incremental) _table.Add(name, value);
    }

    private HpackIndexing Choose(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (ChangesPerMessage(name)) return HpackIndexing.WithoutIndexing;
        long entrySize = (long)DynamicTable.EntryOverhead + name.Length + value.Length;
        return entrySize * 4 <= (long)_table.MaxSize * 3 ? HpackIndexing.Incremental : HpackIndexing.WithoutIndexing;
    }

    private static bool IsSensitive(ReadOnlySpan<byte> name) => name.Length switch
    {
        6 => name.SequenceEqual("cookie"u8),
        10 => name.SequenceEqual("set-cookie"u8),
        13 => name.SequenceEqual("authorization"u8),
        19 => name.SequenceEqual("proxy-authorization"u8),
        _ => false,
    };

    private static bool ChangesPerMessage(ReadOnlySpan<byte> name) => name.Length switch
    {
        3 => name.SequenceEqual("age"u8),
        4 => name.SequenceEqual("date"u8) || name.SequenceEqual("etag"u8),
        5 => name.SequenceEqual(":path"u8) || name.SequenceEqual("range"u8),
        7 => name.SequenceEqual("expires"u8),
        8 => name.SequenceEqual("location"u8) || name.SequenceEqual("if-range"u8),
        11 => name.SequenceEqual("traceparent"u8),
        12 => name.SequenceEqual("x-request-id"u8),
        13 => name.SequenceEqual("content-range"u8) || name.SequenceEqual("if-none-match"u8) || name.SequenceEqual("last-modified"u8),
        14 => name.SequenceEqual("content-length"u8),
        17 => name.SequenceEqual("if-modified-since"u8),
        19 => name.SequenceEqual("if-unmodified-since"u8),
        _ => false,
    };

    private static void WriteIndexed(IBufferWriter<byte> output, int index)
    {
        // RFC 7541 §6.1: 1 + 7-bit index.
        Span<byte> span = output.GetSpan(HpackIntegers.MaxEncodedLength);
        output.Advance(HpackIntegers.Encode(index, 7, 0x80, span));
    }

    private int WriteSizeUpdate(int size, Span<byte> destination)
    {
        // RFC 7541 §6.3: 001 + 5-bit size.
        _table.SetMaxSize(size);
        return HpackIntegers.Encode(size, 5, 0x20, destination);
    }

    /// <summary>RFC 7541 §5.2: H bit and 7-bit-prefix length, then the bytes, Huffman-coded when strictly shorter.</summary>
    private int WriteString(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        if (UseHuffman && !text.IsEmpty)
        {
            int huffmanLength = Huffman.GetEncodedLength(text);
            if (huffmanLength < text.Length)
            {
                int prefix = HpackIntegers.Encode(huffmanLength, 7, 0x80, destination);
                return prefix + Huffman.Encode(text, destination[prefix..]);
            }
        }
        int length = HpackIntegers.Encode(text.Length, 7, 0x00, destination);
        text.CopyTo(destination[length..]);
        return length + text.Length;
    }
}
