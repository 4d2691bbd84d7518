using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// The one reading of a field line (RFC 9112 §5), shared by request heads, response heads and chunked trailers:
/// <c>field-name ":" OWS field-value OWS</c>, with every deviation refused rather than repaired.
/// </summary>
internal static class HeaderFieldParser
{
    /// <summary>
    /// Parses one field line (without its line ending) and appends it to <paramref name="head"/>'s field table.
    /// The line is at <paramref name="start"/> in the head's buffer; <paramref name="plain"/> says its bytes are all
    /// field-value bytes already (see <see cref="HeadLineReader.TryReadLine"/>).
    /// </summary>
    public static void Add(MessageHead head, int start, int length, bool plain)
    {
        if (head.HeaderCount == head.Limits.MaxHeaderCount) HttpRejectException.Throw(RejectReason.TooManyHeaders);
        head.Fields[head.HeaderCount] = Parse(head.Buffer.Slice(start, length), start, plain);
        head.HeaderCount++;
    }

    /// <summary>
    /// Validates <paramref name="line"/> (without its line ending) as a field line and returns its parts as offsets
    /// relative to <paramref name="offset"/>, the position of the line in whatever buffer holds it.
    /// </summary>
    public static HeaderField Parse(ReadOnlySpan<byte> line, int offset) => Parse(line, offset, plain: false);

    /// <summary>
    /// Adds the field lines that start at <paramref name="position"/> in <paramref name="head"/>'s buffer, of which
    /// the first <paramref name="filled"/> bytes hold input, for as long as each is an everyday line: complete, a
    /// name of letters, digits and '-' (the tchar every registered field name uses), a colon, then only field-value
    /// bytes up to its CRLF; and while the field table has room. For such a line the line and field rules reduce to
    /// what this loop checks. It returns the offset of the first line it does not take (the blank line, a line with
    /// anything unusual, an unfinished one), which the caller reads with every rule through
    /// <see cref="HeadLineReader.TryReadLine"/> and <see cref="Add"/>.
    /// </summary>
    /// <remarks>
    /// The loop rejects nothing: whatever is wrong is left for the rules, so it only decides how fast a line is read.
    /// Lines complete in the buffer never cross <see cref="HeadLimits.MaxHeadBytes"/> (the buffer is that long), so
    /// the field count is the only limit to mind. Bytes are classified a window at a time (32 where 256-bit vectors
    /// are fast, else 16) without a call per line; where vectors are not accelerated the loop takes nothing and the
    /// rules read every line.
    /// </remarks>
    // Never inlined: compiled on its own, it keeps the inlining budget its per-line helpers need (inlined into the
    // parser's loop, the JIT ran out of budget and called Field and the vector helpers once per line).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int AddPlainLines(MessageHead head, int filled, int position)
    {
        if (!Vector128.IsHardwareAccelerated) return position;
        ReadOnlySpan<byte> buffer = head.Buffer;
        Span<HeaderField> fields = head.Fields;
        int count = head.HeaderCount;
        while (count < fields.Length)
        {
            int colon = EndOfCommonName(buffer, filled, position);
            if (colon <= position || buffer[colon] != Colon) break;
            int cr = EndOfPlainValue(buffer, filled, colon + 1);
            if (cr < 0) break;

            fields[count++] = Field(buffer[position..cr], position, colon - position);
            position = cr + 2;
        }
        head.HeaderCount = count;
        return position;
    }

    private static HeaderField Parse(ReadOnlySpan<byte> line, int offset, bool plain)
    {
        int nameLength = line.IndexOfAnyExcept(Token);
        if (nameLength <= 0 || line[nameLength] != Colon) ThrowInvalidLine(line, nameLength);

        // RFC 9110 §5.5: a value holds VCHAR, obs-text, SP and HTAB only; NUL, CR, LF and the other controls are refused.
        if (!plain && line[(nameLength + 1)..].IndexOfAnyExcept(FieldValue) >= 0) HttpRejectException.Throw(RejectReason.InvalidHeaderValue);
        return Field(line, offset, nameLength);
    }

    /// <summary>
    /// The offset of the first byte from <paramref name="start"/> that is not a letter, digit or '-', when it is
    /// among the first <paramref name="filled"/> bytes of <paramref name="buffer"/>; -1 otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // into the AddPlainLines loop: a call per line costs more than its body
    private static int EndOfCommonName(ReadOnlySpan<byte> buffer, int filled, int start)
    {
        // Windows may reach past the filled bytes (into stale bytes of the buffer), never past the buffer itself;
        // a stop found among the stale bytes does not count.
        for (int window = start; window < filled && window <= buffer.Length - WindowBytes; window += WindowBytes)
        {
            uint others = ~CommonNameBytes(buffer, window) & WindowBits;
            if (others == 0) continue;
            int end = window + BitOperations.TrailingZeroCount(others);
            return end < filled ? end : -1;
        }
        return -1;
    }

    /// <summary>
    /// The offset of the CR of the CRLF that ends the line when every byte from <paramref name="start"/> to that CR is
    /// a field-value byte and the LF is among the first <paramref name="filled"/> bytes of <paramref name="buffer"/>;
    /// -1 when some other byte, or the end of the filled bytes, comes first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // into the AddPlainLines loop: a call per line costs more than its body
    private static int EndOfPlainValue(ReadOnlySpan<byte> buffer, int filled, int start)
    {
        for (int window = start; window < filled && window <= buffer.Length - WindowBytes; window += WindowBytes)
        {
            // Each set bit is a byte outside SP..'~': the CR that ends the line, or a rarer one to look at.
            for (uint outside = BytesOutsideVisibleAscii(buffer, window); outside != 0; outside &= outside - 1)
            {
                int at = window + BitOperations.TrailingZeroCount(outside);
                if (at + 1 >= filled) return -1;
                byte b = buffer[at];
                if (b == Cr) return buffer[at + 1] == Lf ? at : -1;
                // HTAB and obs-text are field-value bytes too: look on past them.
                if (b != Tab && b < 0x80) return -1;
            }
        }
        return -1;
    }

    /// <summary>How many bytes the vector helpers classify at once: 32 where 256-bit vectors are fast, else 16.</summary>
    private static int WindowBytes => Vector256.IsHardwareAccelerated ? Vector256<byte>.Count : Vector128<byte>.Count;

    /// <summary>The mask bits that stand for the <see cref="WindowBytes"/> bytes of a window.</summary>
    private static uint WindowBits => Vector256.IsHardwareAccelerated ? uint.MaxValue : 0xFFFF;

    /// <summary>Bit i set when byte <paramref name="offset"/> + i is a letter, digit or '-' (i below <see cref="WindowBytes"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CommonNameBytes(ReadOnlySpan<byte> buffer, int offset) => Vector256.IsHardwareAccelerated
        ? CommonNameBytes(Vector256.Create(buffer.Slice(offset, Vector256<byte>.Count)))
        : CommonNameBytes(Vector128.Create(buffer.Slice(offset, Vector128<byte>.Count)));

    /// <summary>Bit i set when byte <paramref name="offset"/> + i is outside SP..'~' (i below <see cref="WindowBytes"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint BytesOutsideVisibleAscii(ReadOnlySpan<byte> buffer, int offset) => Vector256.IsHardwareAccelerated
        ? BytesOutsideVisibleAscii(Vector256.Create(buffer.Slice(offset, Vector256<byte>.Count)))
        : BytesOutsideVisibleAscii(Vector128.Create(buffer.Slice(offset, Vector128<byte>.Count)));

    // Setting bit 0x20 lower-cases A-Z and leaves a-z alone, and no other byte becomes a-z that way; subtracting the
    // bottom of a range and comparing unsigned tests the range in one compare.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CommonNameBytes(Vector256<byte> bytes)
    {
        Vector256<byte> letter = Vector256.LessThanOrEqual((bytes | Vector256.Create((byte)0x20)) - Vector256.Create((byte)'a'), Vector256.Create((byte)('z' - 'a')));
        Vector256<byte> digit = Vector256.LessThanOrEqual(bytes - Vector256.Create((byte)'0'), Vector256.Create((byte)9));
        Vector256<byte> dash = Vector256.Equals(bytes, Vector256.Create((byte)'-'));
        return (letter | digit | dash).ExtractMostSignificantBits();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint CommonNameBytes(Vector128<byte> bytes)
    {
        Vector128<byte> letter = Vector128.LessThanOrEqual((bytes | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a'), Vector128.Create((byte)('z' - 'a')));
        Vector128<byte> digit = Vector128.LessThanOrEqual(bytes - Vector128.Create((byte)'0'), Vector128.Create((byte)9));
        Vector128<byte> dash = Vector128.Equals(bytes, Vector128.Create((byte)'-'));
        return (letter | digit | dash).ExtractMostSignificantBits();
    }

    // Subtracting SP moves SP..'~' to 0..0x5E and every other byte, wrapping around, above it: controls (CR and LF
    // among them), DEL, HTAB and obs-text.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint BytesOutsideVisibleAscii(Vector256<byte> bytes) =>
        Vector256.GreaterThan(bytes - Vector256.Create(Space), Vector256.Create((byte)(Tilde - Space))).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint BytesOutsideVisibleAscii(Vector128<byte> bytes) =>
        Vector128.GreaterThan(bytes - Vector128.Create(Space), Vector128.Create((byte)(Tilde - Space))).ExtractMostSignificantBits();

    /// <summary>
    /// The field of <paramref name="line"/>, at <paramref name="offset"/> in the head's buffer, whose name of
    /// <paramref name="nameLength"/> bytes, colon and value bytes are known to be valid.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // into the AddPlainLines loop: a call per line costs more than its body
    private static HeaderField Field(ReadOnlySpan<byte> line, int offset, int nameLength)
    {
        ReadOnlySpan<byte> rawValue = line[(nameLength + 1)..];
        // RFC 9110 §5.5: the OWS before and after the value is not part of it. Usually one SP before and none
        // after, so a loop over the few bytes beats a search; an all-OWS value is empty, placed right after the colon.
        int leading = 0;
        while (leading < rawValue.Length && IsWhitespace(rawValue[leading])) leading++;
        int end = rawValue.Length;
        while (end > leading && IsWhitespace(rawValue[end - 1])) end--;
        int valueStart = offset + nameLength + 1 + (leading < end ? leading : 0);

        KnownHeader known = KnownHeaderNames.Recognise(line[..nameLength]);
        return new HeaderField(offset, nameLength, valueStart, end - leading, known, KnownHeaderNames.IsHopByHop(known));
    }

    [DoesNotReturn]
    private static void ThrowInvalidLine(ReadOnlySpan<byte> line, int nameLength)
    {
        // RFC 9112 §5.2: a line starting with whitespace continues the previous value (obs-fold); a proxy
        // that unfolded it differently from the next hop would see a different field, so it is refused.
        if (!line.IsEmpty && IsWhitespace(line[0])) HttpRejectException.Throw(RejectReason.ObsoleteLineFolding);

        // RFC 9112 §5.1: no whitespace is allowed between the name and the colon; "Host : x" has been used to
        // smuggle a field past hops that strip the space and hops that do not.
        if (nameLength > 0 && IsWhitespace(line[nameLength]))
        {
            ReadOnlySpan<byte> afterName = line[nameLength..];
            int next = afterName.IndexOfAnyExcept(Whitespace);
            if (next >= 0 && afterName[next] == Colon) HttpRejectException.Throw(RejectReason.WhitespaceBeforeColon);
        }
        // Empty name, a byte that is not tchar, or no colon at all.
        HttpRejectException.Throw(RejectReason.InvalidHeaderName);
    }
}
