using System.Text;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Which trailer fields an intermediary passes on: in an HTTP/1.1 chunked body it re-encodes, and as an HTTP/2
/// trailer section (the last HEADERS of a stream, RFC 9113 §8.1). A dropped field is one a recipient that merges
/// trailers into the header section (RFC 9110 §6.5.1 forbids it, some do it) could be misled by: a Host or a
/// Content-Length arriving after the body. Stateless; thread-safe; allocates nothing.
/// </summary>
/// <remarks>
/// Refused, compared as ASCII case-insensitively:
/// <list type="bullet">
/// <item>pseudo-header fields (RFC 9113 §8.1: trailers must not contain them);</item>
/// <item>connection-specific fields, which make any HTTP/2 field section malformed (RFC 9113 §8.2.2): connection,
/// keep-alive, proxy-connection, transfer-encoding, upgrade, te;</item>
/// <item>fields whose meaning is needed before the content and so cannot be trailers (RFC 9110 §6.5.1): framing
/// (content-length, trailer), routing (host), authentication (authorization, proxy-authenticate, proxy-authorization,
/// www-authenticate, realm), request modifiers and response controls (cache-control, expect, max-forwards, pragma,
/// range, and every if-* conditional), content format (content-encoding, content-range, content-type). That is Go's
/// list (httpguts.ValidTrailerHeader), a common reference for what may not be sent as a trailer.</item>
/// </list>
/// Everything else (x-checksum, grpc-status, server-timing, ...) passes.
/// </remarks>
public static class TrailerFieldFilter
{
    /// <summary>True when a trailer field named <paramref name="name"/> may be passed on.</summary>
    public static bool IsAllowed(ReadOnlySpan<byte> name) =>
        !name.IsEmpty && name[0] != (byte)':' && !(name.Length > 3 && Is(name[..3], "if-"u8)) && !IsForbiddenName(name);

    private static bool IsForbiddenName(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 => Is(name, "te"u8),
        4 => Is(name, "host"u8),
        5 => Is(name, "range"u8) || Is(name, "realm"u8),
        6 => Is(name, "expect"u8) || Is(name, "pragma"u8),
        7 => Is(name, "trailer"u8) || Is(name, "upgrade"u8),
        10 => Is(name, "connection"u8) || Is(name, "keep-alive"u8),
        12 => Is(name, "content-type"u8) || Is(name, "max-forwards"u8),
        13 => Is(name, "authorization"u8) || Is(name, "cache-control"u8) || Is(name, "content-range"u8),
        14 => Is(name, "content-length"u8),
        16 => Is(name, "content-encoding"u8) || Is(name, "proxy-connection"u8) || Is(name, "www-authenticate"u8),
        17 => Is(name, "transfer-encoding"u8),
        18 => Is(name, "proxy-authenticate"u8),
        19 => Is(name, "proxy-authorization"u8),
        _ => false,
    };

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowercase) => Ascii.EqualsIgnoreCase(name, lowercase);
}
