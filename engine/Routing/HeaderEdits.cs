using System.Text;
using Proxy.Engine.Config;

namespace Proxy.Engine.Routing;

/// <summary>
/// Header fields a route sets and removes on a request or a response. Setting replaces: every field of a set
/// name that the message carries is dropped, and the configured one written instead. The writer asks
/// <see cref="Removes"/> for each field it would copy, then appends <see cref="AddedLines"/>, pre-rendered as
/// "Name: value\r\n" lines. Immutable, thread-safe, allocation-free.
/// </summary>
internal sealed class HeaderEdits
{
    private readonly byte[][] _dropped;     // lower-case: the removed names and the set ones
    private readonly byte[] _lines;

    public HeaderEdits(IReadOnlyList<HeaderValueConfig> set, IReadOnlyList<string> remove)
    {
        _dropped = [.. set.Select(header => header.Name.ToLowerInvariant()).Concat(remove.Select(name => name.ToLowerInvariant()))
                          .Distinct(StringComparer.Ordinal).Select(Encoding.ASCII.GetBytes)];
        var lines = new StringBuilder();
        foreach (HeaderValueConfig header in set) lines.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        _lines = Encoding.ASCII.GetBytes(lines.ToString());
    }

    public static HeaderEdits None { get; } = new([], []);

    public bool IsEmpty => _dropped.Length == 0;

    /// <summary>The lines to append after the fields kept, each ending in CRLF.</summary>
    public ReadOnlySpan<byte> AddedLines => _lines;

    /// <summary>Whether a field named <paramref name="name"/> (any case) must not be copied.</summary>
    public bool Removes(ReadOnlySpan<byte> name)
    {
        foreach (byte[] dropped in _dropped)
        {
            if (Ascii.EqualsIgnoreCase(name, dropped)) return true;
        }
        return false;
    }
}
