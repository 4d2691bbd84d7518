using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Proxy.Engine.Routing;

/// <summary>
/// Brings a request path to the one form routes are matched against, so that two spellings of one resource
/// cannot reach two different routes (or dodge a route meant to guard it). The rules, in the order applied:
/// <list type="number">
/// <item>A percent-encoded unreserved character (RFC 3986 §2.3: letters, digits, '-', '.', '_', '~') is decoded:
/// "/%41pi" is "/Api", "/%2e%2e/" is "/../". Every other escape stays encoded, with its hex digits upper-cased
/// ("%2f" becomes "%2F"): decoding "%2F" would invent a segment boundary the client did not send.</item>
/// <item>A '%' not followed by two hex digits makes the path invalid (400), as nginx answers.</item>
/// <item>Repeated slashes are merged ("/a//b" is "/a/b"), as nginx does with its default <c>merge_slashes on</c>.</item>
/// <item>"." segments are removed and ".." segments remove the segment before them (RFC 3986 §5.2.4), after
/// decoding, so "/a/%2e%2e/b" is "/b". A ".." with no segment left to remove escapes the root: 400, as nginx.</item>
/// <item>A trailing slash stays ("/a/" is not "/a"), and so does one left by a final "." or ".." ("/a/b/.." is "/a/").</item>
/// </list>
/// A path that does not start with '/' (the "*" of OPTIONS) is left as it is. The result is never longer than the
/// input. Pure and thread-safe; allocates nothing.
/// </summary>
internal static class PathNormalizer
{
    private const byte Slash = (byte)'/';
    private const byte Dot = (byte)'.';
    private const byte Percent = (byte)'%';

    // RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~"
    private static readonly SearchValues<byte> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"u8);

    /// <summary>
    /// True when <paramref name="path"/> may need work: it has a '%', or a '/' followed by '.' or '/' (every dot
    /// segment and every repeated slash starts so). False means it is certainly in normal form: the fast check for
    /// ordinary paths, 16 bytes at a time, no copy.
    /// </summary>
    /// <remarks>Not <c>IndexOf("/."u8)</c> and friends: on a short path their set-up costs more than this whole check.</remarks>
    public static bool MayNeedWork(ReadOnlySpan<byte> path)
    {
        const int Block = 16;
        if (!Vector128.IsHardwareAccelerated) return MayNeedWorkScalar(path);
        if (path.Length <= Block) return ShortMayNeedWork(path);
        // Each block of 16 bytes is read with the 16 from one byte on, so a '/' sees the byte after it. The last
        // block ends one byte short of the end, overlapping the one before (which only looks at some bytes twice);
        // the last byte has no byte after it and needs work only as a '%'.
        int last = path.Length - Block - 1;
        for (int i = 0; i < last; i += Block)
        {
            if (HasWork(Vector128.Create(path.Slice(i, Block)), Vector128.Create(path.Slice(i + 1, Block)))) return true;
        }
        return HasWork(Vector128.Create(path.Slice(last, Block)), Vector128.Create(path.Slice(last + 1, Block))) || path[^1] == Percent;
    }

    // Up to 16 bytes, read as two words, zero-padded (a zero is none of '/', '.', '%'), and shifted by one byte in
    // registers for the bytes that follow: no padded copy through memory.
    private static bool ShortMayNeedWork(ReadOnlySpan<byte> path)
    {
        const int Word = sizeof(ulong);
        ulong low = path.Length >= Word ? Swar.Read(path, 0) : Swar.ReadShort(path);
        ulong high = path.Length <= Word ? 0 : path.Length == 2 * Word ? Swar.Read(path, Word) : Swar.ReadShort(path[Word..]);
        return HasWork(Vector128.Create(low, high).AsByte(), Vector128.Create((low >> 8) | (high << 56), high >> 8).AsByte());
    }

    // Per byte: a '%', or a '/' whose next byte is '/' or '.'.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasWork(Vector128<byte> here, Vector128<byte> next) =>
        ((Vector128.Equals(here, Vector128.Create(Slash)) & (Vector128.Equals(next, Vector128.Create(Slash)) | Vector128.Equals(next, Vector128.Create(Dot))))
         | Vector128.Equals(here, Vector128.Create(Percent))) != Vector128<byte>.Zero;

    private static bool MayNeedWorkScalar(ReadOnlySpan<byte> path)
    {
        for (int i = 0; i < path.Length; i++)
        {
            byte b = path[i];
            if (b == Percent) return true;
            if (b == Slash && i + 1 < path.Length && path[i + 1] is Slash or Dot) return true;
        }
        return false;
    }

    /// <summary>
    /// Normalises <paramref name="path"/> into <paramref name="destination"/>, which must be at least as long as the
    /// path. On <see cref="PathNormalization.Normalized"/>, <paramref name="written"/> bytes of the destination hold
    /// the result; on <see cref="PathNormalization.Unchanged"/> the path itself is the result.
    /// </summary>
    public static PathNormalization Normalize(ReadOnlySpan<byte> path, Span<byte> destination, out int written)
    {
        written = 0;
        if (path.IsEmpty || path[0] != Slash || !MayNeedWork(path)) return PathNormalization.Unchanged;
        PathNormalization result = Rewrite(path, destination, out written);
        return result == PathNormalization.Normalized && path.SequenceEqual(destination[..written]) ? PathNormalization.Unchanged : result;
    }

    /// <summary>
    /// As <see cref="Normalize"/>, for the matcher, which calls it only for a path <see cref="MayNeedWork"/> marked: the
    /// check is not repeated, and a path that needed no change after all ("/a/.b") comes back as
    /// <see cref="PathNormalization.Normalized"/> with its own bytes in the destination, which match the same routes.
    /// </summary>
    public static PathNormalization NormalizeMarked(ReadOnlySpan<byte> path, Span<byte> destination, out int written)
    {
        written = 0;
        if (path.IsEmpty || path[0] != Slash) return PathNormalization.Unchanged;
        return Rewrite(path, destination, out written);
    }

    private static PathNormalization Rewrite(ReadOnlySpan<byte> path, Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < path.Length) throw new ArgumentException("The destination is shorter than the path.", nameof(destination));

        destination[0] = Slash;
        int w = 1;                  // the output always ends with '/' where a segment starts
        int i = 1;
        while (true)
        {
            int segmentStart = w;
            for (; i < path.Length; i++)
            {
                byte b = path[i];
                if (b == Slash) break;
                if (b != Percent)
                {
                    destination[w++] = b;
                    continue;
                }
                if (i + 2 >= path.Length) return PathNormalization.InvalidPercentEncoding;
                int high = HexValue(path[i + 1]), low = HexValue(path[i + 2]);
                if (high < 0 || low < 0) return PathNormalization.InvalidPercentEncoding;
                byte decoded = (byte)((high << 4) | low);
                if (Unreserved.Contains(decoded))
                {
                    destination[w++] = decoded;
                }
                else
                {
                    destination[w++] = Percent;
                    destination[w++] = UpperHex(high);
                    destination[w++] = UpperHex(low);
                }
                i += 2;     // and the loop's 1: past the escape
            }

            bool atEnd = i >= path.Length;
            int length = w - segmentStart;
            if (length == 1 && destination[segmentStart] == Dot)
            {
                w = segmentStart;
            }
            else if (length == 2 && destination[segmentStart] == Dot && destination[segmentStart + 1] == Dot)
            {
                if (segmentStart == 1) return PathNormalization.EscapesRoot;
                w = destination[..(segmentStart - 1)].LastIndexOf(Slash) + 1;
            }
            else if (length > 0 && !atEnd)
            {
                destination[w++] = Slash;
            }
            // (length 0 is an empty segment: the end after a trailing slash, or "//" merged into one.)
            if (atEnd) break;
            i++;    // past the '/'
        }

        written = w;
        return PathNormalization.Normalized;
    }

    /// <summary>
    /// The normal form of a path written in the configuration, or null with <paramref name="problem"/> when it has
    /// none (a bad escape, a ".." above the root). Not for the request path.
    /// </summary>
    public static string? NormalizeText(string path, out string problem)
    {
        problem = "";
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(path);
        byte[] buffer = new byte[bytes.Length];
        switch (Normalize(bytes, buffer, out int written))
        {
            case PathNormalization.Unchanged:
                return path;
            case PathNormalization.Normalized:
                return System.Text.Encoding.ASCII.GetString(buffer, 0, written);
            case PathNormalization.EscapesRoot:
                problem = "has a \"..\" that climbs above \"/\"";
                return null;
            default:
                problem = "has a '%' that is not followed by two hex digits";
                return null;
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static byte UpperHex(int value) => (byte)(value < 10 ? '0' + value : 'A' + value - 10);
}
