using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Proxy.Engine.Routing;

/// <summary>
/// Byte-level helpers the matcher needs where HTTP text meets .NET text: running a regex over bytes, and reading
/// query parameters (application/x-www-form-urlencoded: '+' is a space, %XX a byte). Nothing allocates: short
/// inputs use the stack, long ones a pooled buffer.
/// </summary>
internal static class ByteText
{
    private const int StackChars = 512;

    /// <summary>Whether <paramref name="regex"/> is found in <paramref name="bytes"/>, read as Latin-1 (one char per byte, as HTTP fields are).</summary>
    [SkipLocalsInit]
    public static bool RegexFindsLatin1(Regex regex, ReadOnlySpan<byte> bytes)
    {
        char[]? rented = null;
        Span<char> chars = bytes.Length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(bytes.Length));
        try
        {
            int count = Encoding.Latin1.GetChars(bytes, chars);
            return regex.IsMatch(chars[..count]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Whether <paramref name="regex"/> is found in the form-decoded <paramref name="raw"/>, read as UTF-8.</summary>
    [SkipLocalsInit]
    public static bool RegexFindsFormDecoded(Regex regex, ReadOnlySpan<byte> raw)
    {
        byte[]? rentedBytes = null;
        char[]? rentedChars = null;
        Span<byte> bytes = raw.Length <= StackChars ? stackalloc byte[StackChars] : (rentedBytes = ArrayPool<byte>.Shared.Rent(raw.Length));
        Span<char> chars = raw.Length <= StackChars ? stackalloc char[StackChars] : (rentedChars = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            int length = FormDecode(raw, bytes);
            int count = Encoding.UTF8.GetChars(bytes[..length], chars);
            return regex.IsMatch(chars[..count]);
        }
        finally
        {
            if (rentedBytes is not null) ArrayPool<byte>.Shared.Return(rentedBytes);
            if (rentedChars is not null) ArrayPool<char>.Shared.Return(rentedChars);
        }
    }

    /// <summary>Whether form-decoding <paramref name="raw"/> gives exactly <paramref name="expected"/>, decoded on the fly.</summary>
    public static bool FormDecodedEquals(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> expected)
    {
        int e = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            int b = DecodeAt(raw, ref i);
            if (e >= expected.Length || expected[e++] != b) return false;
        }
        return e == expected.Length;
    }

    /// <summary>
    /// The first <c>name=value</c> pair of a query (with or without its '?'), and in <paramref name="rest"/> what
    /// follows it; false at the end. A pair without '=' has an empty value; empty pairs ("a=1&amp;&amp;b=2") are skipped.
    /// Loop with <c>while (NextQueryPair(query, out name, out value, out query))</c>.
    /// </summary>
    public static bool NextQueryPair(ReadOnlySpan<byte> query, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, out ReadOnlySpan<byte> rest)
    {
        while (!query.IsEmpty)
        {
            if (query[0] == (byte)'?') query = query[1..];
            int end = query.IndexOf((byte)'&');
            ReadOnlySpan<byte> pair = end < 0 ? query : query[..end];
            query = end < 0 ? [] : query[(end + 1)..];
            if (pair.IsEmpty) continue;
            int equals = pair.IndexOf((byte)'=');
            name = equals < 0 ? pair : pair[..equals];
            value = equals < 0 ? [] : pair[(equals + 1)..];
            rest = query;
            return true;
        }
        name = value = rest = default;
        return false;
    }

    private static int FormDecode(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int w = 0;
        for (int i = 0; i < raw.Length; i++) destination[w++] = (byte)DecodeAt(raw, ref i);
        return w;
    }

    // '+' is a space; %XX a byte; a '%' without two hex digits is itself, as browsers' URL parsers read it.
    private static int DecodeAt(ReadOnlySpan<byte> raw, ref int i)
    {
        byte b = raw[i];
        if (b == (byte)'+') return ' ';
        if (b != (byte)'%' || i + 2 >= raw.Length) return b;
        int high = HexValue(raw[i + 1]), low = HexValue(raw[i + 2]);
        if (high < 0 || low < 0) return b;
        i += 2;
        return (high << 4) | low;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
