using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>Reads the HTTP-version of a start line (RFC 9112 §2.3).</summary>
internal static class HttpVersionParser
{
    /// <summary>
    /// <c>HTTP-version = "HTTP/" DIGIT "." DIGIT</c>, case-sensitive. HTTP/1.0 and HTTP/1.1 are accepted; any other
    /// well-formed version is <see cref="RejectReason.UnsupportedVersion"/> (505), anything else <see cref="RejectReason.InvalidVersion"/>.
    /// </summary>
    public static HttpVersion Parse(ReadOnlySpan<byte> version)
    {
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || !IsDigit(version[5]) || version[6] != '.' || !IsDigit(version[7]))
        {
            HttpRejectException.Throw(RejectReason.InvalidVersion);
        }
        if (version[5] == '1' && version[7] == '1') return HttpVersion.Http11;
        if (version[5] == '1' && version[7] == '0') return HttpVersion.Http10;
        HttpRejectException.Throw(RejectReason.UnsupportedVersion);
        return HttpVersion.Unknown;
    }
}
