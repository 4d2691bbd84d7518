using System.Buffers.Binary;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Proxy.Engine.Routing;

/// <summary>
/// "SIMD within a register": bytes handled eight at a time in a <see cref="ulong"/> (little-endian, so byte i of a
/// word is bits 8i..8i+7), for the host table's hash and comparison, for finding a port, and for reading paths of
/// up to 16 bytes. Host names are 5 to 30 bytes: too short for vector set-up to pay, too long for a byte loop to be
/// cheap. Pure and thread-safe.
/// </summary>
internal static class Swar
{
    private const ulong EveryByte = 0x0101010101010101UL;
    private const ulong Low7 = 0x7F * EveryByte;
    private const ulong High = 0x80 * EveryByte;

    /// <summary>The eight bytes at <paramref name="start"/>; the caller guarantees that <c>start + 8 &lt;= bytes.Length</c>.</summary>
    /// <remarks>
    /// Unchecked (only asserted in debug builds): it runs for every word of every request's host, and a bounds check
    /// per word costs about as much as the word's work. Every caller computes its starts from the span's length, so
    /// that each word ends within the span.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(ReadOnlySpan<byte> bytes, int start)
    {
        Debug.Assert(start >= 0 && start <= bytes.Length - sizeof(ulong));
        ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(bytes), start));
        return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
    }

    /// <summary>Up to seven bytes as one word, the rest zero.</summary>
    public static ulong ReadShort(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 4)
        {
            // Two four-byte reads that overlap when the length is below eight: the overlapping bytes are equal.
            ulong last = BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]);
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes) | (last << (8 * (bytes.Length - 4)));
        }
        ulong word = 0;
        for (int i = 0; i < bytes.Length; i++) word |= (ulong)bytes[i] << (8 * i);
        return word;
    }

    /// <summary>Each byte lower-cased: 'A'-'Z' become 'a'-'z'; every other byte, including those above 0x7F, is kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LowerCase(ulong word)
    {
        // Per byte, on its low seven bits h (never carrying into the next byte): h + 0x3F sets bit 7 when h >= 'A',
        // h + 0x25 when h > 'Z'; the two differ exactly on 'A'-'Z'. Bytes with bit 7 already set are not letters.
        ulong low7 = word & Low7;
        ulong fromA = low7 + ((0x80 - 'A') * EveryByte);
        ulong pastZ = low7 + ((0x80 - 'Z' - 1) * EveryByte);
        ulong upper = (fromA ^ pastZ) & ~word & High;
        return word | (upper >> 2);    // bit 7 to bit 5: + 0x20
    }

    /// <summary>
    /// Each byte with bit 5 set, which makes 'A'-'Z' 'a'-'z' but also merges other pairs ('@' and '`'): for a hash that
    /// ignores ASCII case, never for a comparison.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong FoldCase(ulong word) => word | (0x20 * EveryByte);

    /// <summary>Bit 7 of each byte of <paramref name="word"/> that equals <paramref name="value"/>, exactly (no false hits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong BytesEqualTo(ulong word, byte value)
    {
        ulong x = word ^ (value * EveryByte);        // zero where equal
        return ~(((x & Low7) + Low7) | x) & High;     // (x & 0x7F) + 0x7F sets bit 7 for any non-zero low bits
    }

    /// <summary>The index, within its word, of the highest byte marked by <see cref="BytesEqualTo"/>; the mask must not be zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LastMarkedByte(ulong marks) => (63 - BitOperations.LeadingZeroCount(marks)) >> 3;
}
