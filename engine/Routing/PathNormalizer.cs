using System.Buffers;
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
        if (!Vector128.IsHardwareAccelerated) return MayNeedWorkScalar(path);
        int i = 0;
        for (; i + Vector128<byte>.Count < path.Length; i += Vector128<byte>.Count)
        {
            if (HasWork(Vector128.Create(path.Slice(i, Vector128<byte>.Count)), Vector128.Create(path.Slice(i + 1, Vector128<byte>.Count)))) return true;
        }
        // The last 1-16 bytes, zero-padded: a zero is none of '/', '.', '%', so the padding finds nothing.
        Span<byte> tail = stackalloc byte[Vector128<byte>.Count + 1];
        path[i..].CopyTo(tail);
        return HasWork(Vector128.Create(tail[..Vector128<byte>.Count]), Vector128.Create(tail[1..]));
    }

    // Per byte: a '%', or a '/' whose next byte is '/' or '.'.
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
        if (destination.Length < path.Length) throw new ArgumentException("The destination is shorter than the path.", nameof(destination));

        destination[0] = Slash;
        int w = 1;                  // the output always ends with '/' where a segment starts
        int i = 1;
        while (true)
        {
            int segmentStart = w;
            while (i < path.Length && path[i] != Slash)
            {
                byte b = path[i];
                if (b != Percent)
                {
                    destination[w++] = b;
                    i++;
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
                i += 3;
            }

            bool atEnd = i >= path.Length;
            ReadOnlySpan<byte> segment = destination[segmentStart..w];
            if (segment.Length == 0)
            {
                // An empty segment: the end after a trailing slash, or "//" merged into one.
            }
            else if (segment.Length == 1 && segment[0] == Dot)
            {
                w = segmentStart;
            }
            else if (segment.Length == 2 && segment[0] == Dot && segment[1] == Dot)
            {
                if (segmentStart == 1) return PathNormalization.EscapesRoot;
                w = destination[..(segmentStart - 1)].LastIndexOf(Slash) + 1;
            }
            else if (!atEnd)
            {
                destination[w++] = Slash;
            }
            if (atEnd) break;
            i++;    // past the '/'
        }

        written = w;
        return path.SequenceEqual(destination[..w]) ? PathNormalization.Unchanged : PathNormalization.Normalized;
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
