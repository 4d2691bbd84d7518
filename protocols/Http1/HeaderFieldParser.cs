using System.Diagnostics.CodeAnalysis;
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
    /// The line is at <paramref name="start"/> in the head's buffer.
    /// </summary>
    public static void Add(MessageHead head, int start, int length)
    {
        if (head.HeaderCount == head.Limits.MaxHeaderCount) HttpRejectException.Throw(RejectReason.TooManyHeaders);
        head.Fields[head.HeaderCount] = Parse(head.Buffer.Slice(start, length), start);
        head.HeaderCount++;
    }

    /// <summary>
    /// Validates <paramref name="line"/> (without its line ending) as a field line and returns its parts as offsets
    /// relative to <paramref name="offset"/>, the position of the line in whatever buffer holds it.
    /// </summary>
    public static HeaderField Parse(ReadOnlySpan<byte> line, int offset)
    {
        // RFC 9112 §5.2: a line starting with whitespace continues the previous value (obs-fold); a proxy
        // that unfolded it differently from the next hop would see a different field, so it is refused.
        if (!line.IsEmpty && IsWhitespace(line[0])) HttpRejectException.Throw(RejectReason.ObsoleteLineFolding);

        int nameLength = line.IndexOfAnyExcept(Token);
        if (nameLength <= 0 || line[nameLength] != Colon) ThrowInvalidName(line, nameLength);

        ReadOnlySpan<byte> rawValue = line[(nameLength + 1)..];
        // RFC 9110 §5.5: a value holds VCHAR, obs-text, SP and HTAB only; NUL, CR, LF and the other controls are refused.
        if (rawValue.IndexOfAnyExcept(FieldValue) >= 0) HttpRejectException.Throw(RejectReason.InvalidHeaderValue);

        // RFC 9110 §5.5: the OWS before and after the value is not part of it.
        int leading = rawValue.IndexOfAnyExcept(Whitespace);
        int valueLength = leading < 0 ? 0 : rawValue.LastIndexOfAnyExcept(Whitespace) - leading + 1;
        int valueStart = offset + nameLength + 1 + Math.Max(leading, 0);

        KnownHeader known = KnownHeaderNames.Recognise(line[..nameLength]);
        return new HeaderField(offset, nameLength, valueStart, valueLength, known, KnownHeaderNames.IsHopByHop(known));
    }

    [DoesNotReturn]
    private static void ThrowInvalidName(ReadOnlySpan<byte> line, int nameLength)
    {
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
