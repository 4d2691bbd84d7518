namespace Proxy.Protocols.Http1;

/// <summary>Limits checked while a head is parsed, before any work is done past them.</summary>
/// <param name="MaxHeadBytes">Request (or status) line plus header fields plus the blank line. Over it: 431.</param>
/// <param name="MaxHeaderCount">Number of header fields. Over it: 431.</param>
/// <param name="MaxRequestLineBytes">The request line alone, CRLF excluded. Over it: 414. Usually equal to <paramref name="MaxHeadBytes"/>.</param>
public readonly record struct HeadLimits(int MaxHeadBytes, int MaxHeaderCount, int MaxRequestLineBytes)
{
    /// <summary>16 KiB heads, 100 fields: the defaults of <c>[limits]</c>.</summary>
    public static HeadLimits Default { get; } = new(16 * 1024, 100, 16 * 1024);
}
