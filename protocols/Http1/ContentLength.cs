namespace Proxy.Protocols.Http1;

/// <summary>Content-Length values (RFC 9110 §8.6).</summary>
public static class ContentLength
{
    /// <summary>
    /// Parses a Content-Length field value: one or more ASCII digits, nothing else, no sign, no whitespace inside,
    /// at most <see cref="long.MaxValue"/>. A comma-separated list of identical values counts as that value;
    /// differing values are refused. False when invalid.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out long length) => throw new NotImplementedException();
}
