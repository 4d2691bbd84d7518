using Proxy.Protocols.Http2;

namespace Proxy.Protocols.Hpack;

/// <summary>
/// The HPACK static Huffman code (RFC 7541 §5.2, Appendix B): encoding, its length, and a table-driven decoder that
/// enforces the padding and EOS rules. Stateless; thread-safe; allocates nothing after its tables are built once.
/// </summary>
/// <remarks>
/// <para>
/// The code of Appendix B is canonical: within a code length, codes are consecutive in symbol order, and each length's
/// first code follows the previous length's last. So the table below holds only the 257 code lengths; the codes are
/// derived from them, and tests check the derivation against codes printed in the RFC.
/// </para>
/// <para>
/// Decoding keeps up to 64 bits of input in an accumulator. One lookup on the next 8 bits resolves the symbols of 5 to 8
/// bits (the common ASCII letters, digits and punctuation); longer codes are found by comparing the next 32 bits with
/// each length's upper bound, a loop of at most 22 steps taken only for rare bytes.
/// </para>
/// </remarks>
public static class Huffman
{
    /// <summary>The EOS symbol: 30 one bits, never to appear in a string (RFC 7541 §5.2).</summary>
    private const int EndOfString = 256;
    private const int MinCodeLength = 5;
    private const int MaxCodeLength = 30;

    // RFC 7541 Appendix B, code length (bits) of symbols 0..256; 256 is EOS.
    private static ReadOnlySpan<byte> CodeLengths =>
    [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    ];

    /// <summary>Code of each symbol, right-aligned (the code's last bit is bit 0).</summary>
    private static readonly uint[] Codes = new uint[257];

    /// <summary>For each code length L, one past the largest code of length L, left-aligned in 32 bits (as a long, so 2^32 fits).</summary>
    private static readonly long[] LimitByLength = new long[MaxCodeLength + 1];

    /// <summary>For each code length L, the first code of length L left-aligned in 32 bits.</summary>
    private static readonly uint[] FirstCodeByLength = new uint[MaxCodeLength + 1];

    /// <summary>For each code length L, the index in <see cref="SymbolsByCode"/> of its first code.</summary>
    private static readonly int[] FirstIndexByLength = new int[MaxCodeLength + 1];

    /// <summary>Symbols in code order (by length, then symbol value).</summary>
    private static readonly ushort[] SymbolsByCode = new ushort[257];

    /// <summary>Indexed by the next 8 bits: (symbol &lt;&lt; 8) | length for codes of up to 8 bits; 0 when the code is longer.</summary>
    private static readonly ushort[] ShortCodes = new ushort[256];

    static Huffman()
    {
        ReadOnlySpan<byte> lengths = CodeLengths;
        int index = 0;
        uint code = 0;
        for (int length = MinCodeLength; length <= MaxCodeLength; length++)
        {
            FirstCodeByLength[length] = code << (32 - length);
            FirstIndexByLength[length] = index;
            for (int symbol = 0; symbol < lengths.Length; symbol++)
            {
                if (lengths[symbol] != length) continue;
                Codes[symbol] = code;
                SymbolsByCode[index++] = (ushort)symbol;
                code++;
            }
            LimitByLength[length] = (long)code << (32 - length);
            code <<= 1;
        }

        for (int symbol = 0; symbol < EndOfString; symbol++)
        {
            int length = lengths[symbol];
            if (length > 8) continue;
            int first = (int)(Codes[symbol] << (8 - length));
            for (int fill = 0; fill < 1 << (8 - length); fill++) ShortCodes[first + fill] = (ushort)((symbol << 8) | length);
        }
    }

    /// <summary>The code of <paramref name="symbol"/> (0..256), right-aligned, and its length; exposed for tests against Appendix B.</summary>
    internal static (uint Code, int Length) CodeOf(int symbol) => (Codes[symbol], CodeLengths[symbol]);

    /// <summary>The number of bytes <see cref="Encode"/> writes for <paramref name="source"/>: the code bits rounded up to whole bytes.</summary>
    public static int GetEncodedLength(ReadOnlySpan<byte> source)
    {
        ReadOnlySpan<byte> lengths = CodeLengths;
        long bits = 0;
        foreach (byte b in source) bits += lengths[b];
        return (int)((bits + 7) >> 3);
    }

    /// <summary>
    /// Encodes <paramref name="source"/> into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/>
    /// bytes, padding the last byte with the most significant bits of EOS (ones). Returns the bytes written.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ReadOnlySpan<byte> lengths = CodeLengths;
        ulong buffer = 0;
        int bits = 0;
        int written = 0;
        foreach (byte b in source)
        {
            // At most 7 bits wait in the buffer, plus at most 30 new ones: 37 < 64.
            buffer = (buffer << lengths[b]) | Codes[b];
            bits += lengths[b];
            while (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(buffer >> bits);
            }
        }
        if (bits > 0) destination[written++] = (byte)((buffer << (8 - bits)) | (0xFFu >> bits));
        return written;
    }

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/>. Returns false when the decoded string does
    /// not fit in <paramref name="destination"/> (the caller's limit: decoding stops there, so a long string costs no
    /// more than the room given). Throws <see cref="Http2RejectException"/> (connection, COMPRESSION_ERROR) on padding
    /// longer than 7 bits or not all ones (<see cref="Http2RejectReason.HuffmanInvalidPadding"/>) and on an EOS symbol
    /// (<see cref="Http2RejectReason.HuffmanEndOfString"/>), RFC 7541 §5.2.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        ulong buffer = 0;   // unread bits, right-aligned
        int bits = 0;       // how many
        int input = 0;
        int written = 0;
        while (true)
        {
            // Top up to more than 56 bits while input lasts, so that any code (at most 30 bits) is whole when there.
            while (bits <= 56 && input < source.Length)
            {
                buffer = (buffer << 8) | source[input++];
                bits += 8;
            }
            if (bits == 0) break;

            // The next 32 bits, left-aligned; past the end of input, zeros.
            uint window = bits >= 32 ? (uint)(buffer >> (bits - 32)) : (uint)(buffer << (32 - bits));
            int symbol;
            int length;
            ushort shortCode = ShortCodes[window >> 24];
            if (shortCode != 0)
            {
                symbol = shortCode >> 8;
                length = shortCode & 0xFF;
            }
            else
            {
                length = 9;
                while (window >= LimitByLength[length]) length++;
                symbol = SymbolsByCode[FirstIndexByLength[length] + (int)((window - FirstCodeByLength[length]) >> (32 - length))];
            }

            if (length > bits)
            {
                // The input ended inside a code: what is left must be padding, i.e. at most 7 bits, all ones (a prefix of EOS).
                ulong padding = buffer & ((1UL << bits) - 1);
                if (bits > 7 || padding != (1UL << bits) - 1) Http2RejectException.ThrowConnectionError(Http2RejectReason.HuffmanInvalidPadding);
                break;
            }
            if (symbol == EndOfString) Http2RejectException.ThrowConnectionError(Http2RejectReason.HuffmanEndOfString);
            if (written == destination.Length)
            {
                bytesWritten = written;
                return false;
            }
            destination[written++] = (byte)symbol;
            bits -= length;
            buffer &= (1UL << bits) - 1;   // bits < 64 here: at most 64 were held and a code takes at least 5
        }
        bytesWritten = written;
        return true;
    }

    /// <summary>The largest decoded length <paramref name="encodedLength"/> bytes can give (every symbol at least 5 bits).</summary>
    public static int MaxDecodedLength(int encodedLength) => (int)(((long)encodedLength * 8) / MinCodeLength);

    /// <summary>The smallest decoded length <paramref name="encodedLength"/> bytes can give (no symbol longer than 30 bits, at most 7 bits of padding).</summary>
    public static int MinDecodedLength(int encodedLength) => (int)Math.Max(0, ((long)encodedLength * 8 - 7) / MaxCodeLength);
}
