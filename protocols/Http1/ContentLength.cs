using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>Content-Length values (RFC 9110 §8.6).</summary>
public static class ContentLength
{
    /// <summary>
    /// Parses a Content-Length field value: one or more ASCII digits, nothing else, no sign, no whitespace inside,
    /// at most <see cref="long.MaxValue"/>. A comma-separated list of identical values (OWS allowed around the commas
    /// only) counts as that value; differing values are refused. False when invalid. Allocation-free; thread-safe.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out long length) => Parse(value, out length) == RejectReason.None;

    /// <summary>
    /// The rules of <see cref="TryParse"/>, telling a malformed value (<see cref="RejectReason.InvalidContentLength"/>)
    /// from a well-formed list of differing values (<see cref="RejectReason.ConflictingContentLength"/>).
    /// </summary>
    internal static RejectReason Parse(ReadOnlySpan<byte> value, out long length)
    {
        length = -1;
        bool conflicting = false;
        ReadOnlySpan<byte> rest = value;
        while (true)
        {
            // A value is a few digits: counting them in a loop beats setting up a vectorised search.
            int digits = 0;
            while (digits < rest.Length && IsDigit(rest[digits])) digits++;
            if (digits == 0 || !TryParseDigits(rest[..digits], out long element)) return RejectReason.InvalidContentLength;

            // RFC 9110 §8.6: a list of identical values may be accepted as one; differing values never.
            if (length < 0) length = element;
            else if (element != length) conflicting = true;

            rest = rest[digits..];
            if (rest.IsEmpty) break;
            rest = SkipWhitespace(rest);
            if (rest.IsEmpty || rest[0] != Comma) return RejectReason.InvalidContentLength;
            rest = SkipWhitespace(rest[1..]);
        }
        if (!conflicting) return RejectReason.None;
        length = -1;
        return RejectReason.ConflictingContentLength;
    }

    private static bool TryParseDigits(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        foreach (byte b in digits)
        {
            int digit = b - '0';
            // value * 10 + digit <= long.MaxValue, checked without a 64-bit division per digit (tens of cycles each).
            if (value > long.MaxValue / 10 || (value == long.MaxValue / 10 && digit > long.MaxValue % 10)) return false;
            value = (value * 10) + digit;
        }
        return true;
    }
}
