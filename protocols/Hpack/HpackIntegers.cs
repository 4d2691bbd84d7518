using Proxy.Protocols.Http2;

namespace Proxy.Protocols.Hpack;

/// <summary>
/// HPACK prefix integers (RFC 7541 §5.1): a value in the low N bits of a first byte whose high bits belong to the
/// representation, continued in 7-bit groups, least significant first, when it does not fit.
/// <code>
///   0   1   2   3   4   5   6   7
/// +---+---+---+---+---+---+---+---+
/// | ? | ? | ? | 1   1   1   1   1 |   prefix all ones: the value is 2^N-1 plus what follows
/// +---+---+---+-------------------+
/// | 1 |    Value-(2^N-1) LSB      |   continuation bit set: more follows
/// +---+---------------------------+
///                ...
/// +---+---------------------------+
/// | 0 |    Value-(2^N-1) MSB      |
/// +---+---------------------------+
/// </code>
/// Values are bounded to 0..2^31-1, which every HPACK quantity fits and which needs at most 5 continuation bytes;
/// anything larger, or longer, is <see cref="Http2RejectReason.HpackIntegerOverflow"/>. Stateless; allocates nothing.
/// </summary>
public static class HpackIntegers
{
    /// <summary>The most bytes an integer up to 2^31-1 takes with any prefix: the first byte and 5 continuation bytes.</summary>
    public const int MaxEncodedLength = 6;

    /// <summary>
    /// Decodes the integer starting at <paramref name="source"/>[0] with a <paramref name="prefixBits"/>-bit prefix (1..8);
    /// the bits above the prefix are ignored. Returns false when <paramref name="source"/> ends before the integer does.
    /// Throws <see cref="Http2RejectException"/> (connection, COMPRESSION_ERROR) when the value exceeds 2^31-1 or uses more
    /// than <see cref="MaxEncodedLength"/> bytes, as soon as the bytes seen prove it.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, int prefixBits, out int value, out int bytesConsumed)
    {
        if (source.IsEmpty)
        {
            value = bytesConsumed = 0;
            return false;
        }
        int prefixMask = (1 << prefixBits) - 1;
        int prefix = source[0] & prefixMask;
        if (prefix < prefixMask)
        {
            value = prefix;
            bytesConsumed = 1;
            return true;
        }

        long result = prefixMask;
        for (int i = 1, shift = 0; i < source.Length; i++, shift += 7)
        {
            byte b = source[i];
            // 5 continuation bytes carry 35 bits, enough for 2^31-1 with any prefix; a sixth (even 0x80 padding) is refused.
            if (i >= MaxEncodedLength) Http2RejectException.ThrowConnectionError(Http2RejectReason.HpackIntegerOverflow);
            result += (long)(b & 0x7F) << shift;
            if (result > int.MaxValue) Http2RejectException.ThrowConnectionError(Http2RejectReason.HpackIntegerOverflow);
            if ((b & 0x80) == 0)
            {
                value = (int)result;
                bytesConsumed = i + 1;
                return true;
            }
        }
        value = bytesConsumed = 0;
        return false;
    }

    /// <summary>The number of bytes <see cref="Encode"/> writes for <paramref name="value"/> with a <paramref name="prefixBits"/>-bit prefix.</summary>
    public static int GetEncodedLength(int value, int prefixBits)
    {
        int prefixMask = (1 << prefixBits) - 1;
        if (value < prefixMask) return 1;
        int length = 2;
        for (uint rest = (uint)(value - prefixMask); rest >= 0x80; rest >>= 7) length++;
        return length;
    }

    /// <summary>
    /// Encodes <paramref name="value"/> (0..2^31-1) with a <paramref name="prefixBits"/>-bit prefix into
    /// <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> bytes; the first byte's bits above
    /// the prefix are taken from <paramref name="pattern"/>. Returns the bytes written.
    /// </summary>
    public static int Encode(int value, int prefixBits, byte pattern, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        int prefixMask = (1 << prefixBits) - 1;
        byte high = (byte)(pattern & ~prefixMask);
        if (value < prefixMask)
        {
            destination[0] = (byte)(high | value);
            return 1;
        }
        destination[0] = (byte)(high | prefixMask);
        uint rest = (uint)(value - prefixMask);
        int i = 1;
        for (; rest >= 0x80; rest >>= 7) destination[i++] = (byte)(rest | 0x80);
        destination[i++] = (byte)rest;
        return i;
    }
}
