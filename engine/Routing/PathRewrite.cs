using System.Text;

namespace Proxy.Engine.Routing;

/// <summary>
/// A route's <c>strip_prefix</c> and <c>add_prefix</c>: the path sent upstream is the normalised request path with
/// the strip prefix removed (only on a segment boundary: "/v1" strips "/v1" and "/v1/x", not "/v1x"), then the add
/// prefix put in front. "/v1/users" with strip "/v1" and add "/api" becomes "/api/users"; "/v1" alone becomes "/"
/// without an add prefix and "/api" with it. A path that does not start with the strip prefix keeps it.
/// Immutable, thread-safe, allocation-free.
/// </summary>
internal sealed class PathRewrite
{
    private readonly byte[] _strip;
    private readonly byte[] _add;

    /// <param name="stripPrefix">"/v1" or null; no trailing '/' (the config check sees to it).</param>
    /// <param name="addPrefix">"/api" or null; no trailing '/'.</param>
    public PathRewrite(string? stripPrefix, string? addPrefix)
    {
        _strip = Encoding.ASCII.GetBytes(stripPrefix ?? "");
        _add = Encoding.ASCII.GetBytes(addPrefix ?? "");
    }

    /// <summary>The most bytes <see cref="Apply"/> can write for a path of <paramref name="pathLength"/> bytes.</summary>
    public int MaxLength(int pathLength) => pathLength + _add.Length + 1;

    /// <summary>
    /// Writes the rewritten <paramref name="path"/> (normalised, without query) to <paramref name="destination"/>,
    /// which holds at least <see cref="MaxLength"/> bytes; returns the bytes written.
    /// </summary>
    public int Apply(ReadOnlySpan<byte> path, Span<byte> destination)
    {
        if (path.IsEmpty || path[0] != (byte)'/')
        {
            path.CopyTo(destination);       // "*" of OPTIONS: nothing to rewrite
            return path.Length;
        }
        ReadOnlySpan<byte> rest = path;
        if (_strip.Length > 0 && path.StartsWith(_strip) && (path.Length == _strip.Length || path[_strip.Length] == (byte)'/'))
        {
            rest = path[_strip.Length..];
        }
        _add.CopyTo(destination);
        int written = _add.Length;
        if (written == 0 && rest.IsEmpty)
        {
            destination[0] = (byte)'/';
            return 1;
        }
        rest.CopyTo(destination[written..]);
        return written + rest.Length;
    }
}
