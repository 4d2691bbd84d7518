using System.Buffers;

namespace Proxy.Engine.Tracing;

/// <summary>Lowercase hexadecimal, the only form W3C Trace Context allows (HEXDIGLC), on byte spans.</summary>
internal static class LowerHex
{
    private static readonly SearchValues<byte> Digits = SearchValues.Create("0123456789abcdef"u8);

    /// <summary>Whether every byte is one of 0-9 a-f.</summary>
    public static bool IsValid(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept(Digits) < 0;

    /// <summary>Whether every byte is '0' (an all-zero id is invalid).</summary>
    public static bool IsAllZero(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept((byte)'0') < 0;

    /// <summary>Writes <paramref name="bytes"/> as 2 x Length lowercase hex digits into <paramref name="destination"/>.</summary>
    public static void Write(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        ReadOnlySpan<byte> digits = "0123456789abcdef"u8;
        destination = destination[..(bytes.Length * 2)];
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[2 * i] = digits[bytes[i] >> 4];
            destination[2 * i + 1] = digits[bytes[i] & 0xF];
        }
    }

    /// <summary>The value of two hex digits (already validated).</summary>
    public static int ValueOf(byte high, byte low) => (Nibble(high) << 4) | Nibble(low);

    private static int Nibble(byte digit) => digit <= '9' ? digit - '0' : digit - 'a' + 10;
}
