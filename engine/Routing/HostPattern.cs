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
        _name = Encoding.ASCII.GetBytes((IsWildcard ? pattern[1..] : pattern).ToLowerInvariant());
    }

    public bool IsWildcard { get; }

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
    public static ReadOnlySpan<byte> StripPort(ReadOnlySpan<byte> authority)
    {
        int colon = authority.LastIndexOf((byte)':');
        if (colon < 0) return authority;
        int bracket = authority.LastIndexOf((byte)']');
        return bracket > colon ? authority : authority[..colon];
    }
}
