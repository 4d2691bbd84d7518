using System.Runtime.CompilerServices;
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> StripPort(ReadOnlySpan<byte> authority)
    {
        // A port follows the last ':' unless a ']' comes after it (the colons of an IPv6 literal).
        int last = LastColonOrBracket(authority);
        return last >= 0 && authority[last] == (byte)':' ? authority[..last] : authority;
    }

    // Eight bytes at a time from the end, where a port is: every request's host passes here, and most are shorter
    // than the 16 bytes from which a vectorised LastIndexOfAny stops looping byte by byte.
    private static int LastColonOrBracket(ReadOnlySpan<byte> authority)
    {
        ulong marks;
        int start = authority.Length - sizeof(ulong);
        for (; start > 0; start -= sizeof(ulong))
        {
            marks = ColonsAndBrackets(Swar.Read(authority, start));
            if (marks != 0) return start + Swar.LastMarkedByte(marks);
        }
        // The first word, overlapping bytes already looked at (they hold neither) unless the authority is shorter.
        marks = ColonsAndBrackets(authority.Length >= sizeof(ulong) ? Swar.Read(authority, 0) : Swar.ReadShort(authority));
        return marks != 0 ? Swar.LastMarkedByte(marks) : -1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static ulong ColonsAndBrackets(ulong word) => Swar.BytesEqualTo(word, (byte)':') | Swar.BytesEqualTo(word, (byte)']');
    }

    /// <summary>
    /// The host routes are matched against: the authority without its port and without one trailing dot
    /// ("Example.COM.:8080" → "Example.COM"), as nginx matches server names. Case is left to the comparison.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<byte> HostForMatching(ReadOnlySpan<byte> authority)
    {
        ReadOnlySpan<byte> host = StripPort(authority);
        return host.Length > 1 && host[^1] == (byte)'.' ? host[..^1] : host;
    }
}
