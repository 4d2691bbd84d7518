using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Enumerates the elements of a comma-separated field value (RFC 9110 §5.6.1 <c>#element</c>) without allocating:
/// each element is trimmed of OWS, and empty elements are skipped as the RFC lets a recipient do.
/// Quoted strings are not understood: callers that need them refuse the quote byte instead.
/// </summary>
internal ref struct CommaList
{
    private ReadOnlySpan<byte> _rest;
    private bool _hasMore;

    /// <summary>A list over <paramref name="value"/>.</summary>
    public CommaList(ReadOnlySpan<byte> value)
    {
        _rest = value;
        _hasMore = true;
    }

    /// <summary>The current element, trimmed, never empty.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>For <c>foreach</c>.</summary>
    public readonly CommaList GetEnumerator() => this;

    /// <summary>Moves to the next non-empty element.</summary>
    public bool MoveNext()
    {
        while (_hasMore)
        {
            int comma = _rest.IndexOf(Comma);
            ReadOnlySpan<byte> element = comma < 0 ? _rest : _rest[..comma];
            _hasMore = comma >= 0;
            _rest = _hasMore ? _rest[(comma + 1)..] : [];
            Current = TrimWhitespace(element);
            if (!Current.IsEmpty) return true;
        }
        return false;
    }
}
