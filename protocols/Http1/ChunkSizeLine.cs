using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Reads <c>chunk-size [ chunk-ext ] CRLF</c> (RFC 9112 §7.1, §7.1.1). Extensions are validated and ignored,
/// as the RFC lets a recipient do; the proxy never forwards them.
/// </summary>
internal static class ChunkSizeLine
{
    /// <summary>The chunk size of a size line given without its LF (its CR included). Throws when malformed.</summary>
    public static long Parse(ReadOnlySpan<byte> lineBeforeLf)
    {
        ReadOnlySpan<byte> line = LineEndings.Content(lineBeforeLf, acceptBareLineFeed: false);

        // chunk-size = 1*HEXDIG: no sign, no "0x", no whitespace before it.
        int digits = line.IndexOfAnyExcept(HexDigit);
        if (digits < 0) digits = line.Length;
        if (digits == 0) HttpRejectException.Throw(RejectReason.InvalidChunkSize);
        long size = ParseHex(line[..digits]);

        ReadOnlySpan<byte> extensions = line[digits..];
        if (!extensions.IsEmpty)
        {
            // Only an extension may follow the size ("1 ", "1x" or "0x1" are not sizes).
            ReadOnlySpan<byte> next = SkipWhitespace(extensions);
            if (next.IsEmpty || next[0] != Semicolon) HttpRejectException.Throw(RejectReason.InvalidChunkSize);
            ValidateExtensions(extensions);
        }
        return size;
    }

    private static long ParseHex(ReadOnlySpan<byte> digits)
    {
        long size = 0;
        foreach (byte digit in digits)
        {
            // A size past long.MaxValue is refused rather than wrapped: a wrapped size is a smuggled body.
            if (size > long.MaxValue >> 4) HttpRejectException.Throw(RejectReason.InvalidChunkSize);
            size = (size << 4) | (uint)HexValue(digit);
        }
        return size;
    }

    /// <summary><c>chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )</c>, nothing after the last.</summary>
    private static void ValidateExtensions(ReadOnlySpan<byte> rest)
    {
        while (!rest.IsEmpty)
        {
            rest = SkipWhitespace(rest);
            // Whitespace may only come before ';' or '='; trailing whitespace or any other byte is refused.
            if (rest.IsEmpty || rest[0] != Semicolon) HttpRejectException.Throw(RejectReason.InvalidChunkExtension);
            rest = SkipToken(SkipWhitespace(rest[1..]));

            ReadOnlySpan<byte> afterName = SkipWhitespace(rest);
            if (!afterName.IsEmpty && afterName[0] == EqualsSign) rest = SkipValue(SkipWhitespace(afterName[1..]));
        }
    }

    /// <summary>chunk-ext-val = token / quoted-string</summary>
    private static ReadOnlySpan<byte> SkipValue(ReadOnlySpan<byte> value) =>
        !value.IsEmpty && value[0] == DoubleQuote ? SkipQuotedString(value) : SkipToken(value);

    private static ReadOnlySpan<byte> SkipToken(ReadOnlySpan<byte> span)
    {
        int length = span.IndexOfAnyExcept(Token);
        if (length < 0) length = span.Length;
        if (length == 0) HttpRejectException.Throw(RejectReason.InvalidChunkExtension);
        return span[length..];
    }

    /// <summary>RFC 9110 §5.6.4: <c>DQUOTE *( qdtext / quoted-pair ) DQUOTE</c>, quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ).</summary>
    private static ReadOnlySpan<byte> SkipQuotedString(ReadOnlySpan<byte> quoted)
    {
        ReadOnlySpan<byte> rest = quoted[1..];
        while (true)
        {
            int special = rest.IndexOfAnyExcept(QuotedText);
            if (special < 0) HttpRejectException.Throw(RejectReason.InvalidChunkExtension);
            if (rest[special] == DoubleQuote) return rest[(special + 1)..];
            bool escapesValidByte = rest[special] == Backslash && special + 1 < rest.Length && FieldValue.Contains(rest[special + 1]);
            if (!escapesValidByte) HttpRejectException.Throw(RejectReason.InvalidChunkExtension);
            rest = rest[(special + 2)..];
        }
    }
}
