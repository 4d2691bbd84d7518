using System.Text;

namespace Proxy.Engine.Routing;

/// <summary>
/// One entry of a route's <c>hosts</c>: an exact name or a leading wildcard ("*.example.org", which matches
/// "a.example.org" and "a.b.example.org" but not "example.org", as in nginx and Envoy). Compared as ASCII
/// bytes, case-insensitively, with the request's port ignored.
/// </summary>
internal sealed class HostPattern
{
    private readonly byte[] _name;       // exact name, or the suffix including its leading dot

    public HostPattern(string pattern)
    {
        IsWildcard = pattern.StartsWith("*.", StringComparison.Ordinal);
        KeyText = (IsWildcard ? pattern[1..] : pattern).ToLowerInvariant();
        _name = Encoding.ASCII.GetBytes(KeyText);
    }

    public bool IsWildcard { get; }

    /// <summary>The lower-case name, or for a wildcard the suffix with its leading dot (".example.org").</summary>
    public ReadOnlySpan<byte> Key => _name;

    /// <summary><see cref="Key"/> as text.</summary>
    public string KeyText { get; }

    /// <summary>Length of the fixed part: a longer wildcard suffix is the more specific match.</summary>
    public int Length => _name.Length;

    /// <summary>Whether <paramref name="host"/> (without port) matches.</summary>
    public bool Matches(ReadOnlySpan<byte> host)
    {
        if (!IsWildcard) return Ascii.EqualsIgnoreCase(host, _name);
        return host.Length > _name.Length && Ascii.EqualsIgnoreCase(host[^_name.Length..], _name);
    }

    /// <summary>
    /// The host part of a Host value or authority: "example.com:8080" → "example.com", "[::1]:80" → "[::1]".
    /// </summary>
    /// <remarks>Routing also drops one trailing dot (see <see cref="HostForMatching"/>); this keeps the name as sent.</remarks>
    public static ReadOnlySpan<byte> StripPort(ReadOnlySpan<byte> authority)
    {
        int colon = authority.LastIndexOf((byte)':');
        if (colon < 0) return authority;
        int bracket = authority.LastIndexOf((byte)']');
        return bracket > colon ? authority : authority[..colon];
    }

    /// <summary>
    /// The host routes are matched against: the authority without its port and without one trailing dot
    /// ("Example.COM.:8080" → "Example.COM"), as nginx matches server names. Case is left to the comparison.
    /// </summary>
    public static ReadOnlySpan<byte> HostForMatching(ReadOnlySpan<byte> authority)
    {
        ReadOnlySpan<byte> host = StripPort(authority);
        return host.Length > 1 && host[^1] == (byte)'.' ? host[..^1] : host;
    }
}
