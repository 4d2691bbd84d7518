using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
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
    /// Adds the field lines that start at <paramref name="position"/> in <paramref name="buffered"/> (the head's
    /// buffer up to its last copied byte) for as long as each is complete, plain (a token, a colon, then only VCHAR,
    /// SP, HTAB and obs-text up to its CRLF) and the field table has room. Those are the usual lines, and for them
    /// the line and field rules reduce to what this loop checks; it returns the offset of the first line it does not
    /// take (the blank line, a line it cannot vouch for, or an unfinished one), which the caller then reads with
    /// every rule through <see cref="HeadLineReader.TryReadLine"/> and <see cref="Add"/>.
    /// </summary>
    /// <remarks>
    /// Lines complete in the buffer never cross <see cref="HeadLimits.MaxHeadBytes"/> (the buffer is that long), so
    /// the field count is the only limit to mind. The loop rejects nothing: whatever is wrong is left for the rules.
    /// </remarks>
    public static int AddPlainLines(MessageHead head, ReadOnlySpan<byte> buffered, int position)
    {
        Span<HeaderField> fields = head.Fields;
        int count = head.HeaderCount;
        while (count < fields.Length)
        {
            ReadOnlySpan<byte> rest = buffered[position..];
            // Stops at the colon of a well-formed line; at 0 for the blank line or obs-fold, -1 at the buffer's end.
            int nameLength = rest.IndexOfAnyExcept(Token);
            if (nameLength <= 0 || rest[nameLength] != Colon) break;
            int lineLength = PlainLineLength(rest, nameLength + 1);
            if (lineLength < 0) break;

            fields[count++] = Field(rest[..lineLength], position, nameLength);
            position += lineLength + 2;
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
    /// The length of the line in <paramref name="bytes"/> (CRLF excluded) when it ends in CRLF and every byte from
    /// <paramref name="from"/> to its CR is a field-value byte; -1 when some other byte, or the end of the bytes,
    /// comes first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // into the AddPlainLines loop: a call per line costs more than its body
    private static int PlainLineLength(ReadOnlySpan<byte> bytes, int from)
    {
        while (true)
        {
            // VCHAR and SP, the bytes of almost every value; HTAB and obs-text are field-value bytes too, but rare.
            int stop = bytes[from..].IndexOfAnyExceptInRange(Space, Tilde);
            if (stop < 0) return -1;
            int at = from + stop;
            byte b = bytes[at];
            if (b == Cr) return at + 1 < bytes.Length && bytes[at + 1] == Lf ? at : -1;
            if (b != Tab && b < 0x80) return -1;
            from = at + 1;
        }
    }

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
