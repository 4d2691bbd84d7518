using System.Text;

namespace Proxy.Protocols.Http1;

/// <summary>Recognises the names of <see cref="KnownHeader"/> without allocating: length first, then an ASCII case-insensitive compare.</summary>
internal static class KnownHeaderNames
{
    /// <summary>The known header <paramref name="name"/> spells in any case (RFC 9110 §5.1), or <see cref="KnownHeader.None"/>.</summary>
    public static KnownHeader Recognise(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 => Match(name, "TE"u8, KnownHeader.Te),
        3 => Match(name, "Via"u8, KnownHeader.Via),
        4 => Match(name, "Host"u8, KnownHeader.Host, "Date"u8, KnownHeader.Date),
        6 => Match(name, "Cookie"u8, KnownHeader.Cookie, "Expect"u8, KnownHeader.Expect, "Server"u8, KnownHeader.Server),
        7 => Match(name, "Upgrade"u8, KnownHeader.Upgrade, "Trailer"u8, KnownHeader.Trailer),
        10 => Match(name, "Connection"u8, KnownHeader.Connection, "Keep-Alive"u8, KnownHeader.KeepAlive,
            "Set-Cookie"u8, KnownHeader.SetCookie),
        12 => Match(name, "Content-Type"u8, KnownHeader.ContentType),
        14 => Match(name, "Content-Length"u8, KnownHeader.ContentLength),
        15 => Match(name, "X-Forwarded-For"u8, KnownHeader.XForwardedFor),
        16 => Match(name, "Proxy-Connection"u8, KnownHeader.ProxyConnection, "X-Forwarded-Host"u8, KnownHeader.XForwardedHost),
        17 => Match(name, "Transfer-Encoding"u8, KnownHeader.TransferEncoding, "X-Forwarded-Proto"u8, KnownHeader.XForwardedProto),
        _ => KnownHeader.None,
    };

    /// <summary>
    /// RFC 9110 §7.6.1: fields that describe one connection and so never cross a proxy. Proxy-Connection is not
    /// standard but old clients send it, and Keep-Alive is the HTTP/1.0 companion of Connection.
    /// </summary>
    public static bool IsHopByHop(KnownHeader header) => header is KnownHeader.Connection or KnownHeader.KeepAlive
        or KnownHeader.ProxyConnection or KnownHeader.Te or KnownHeader.TransferEncoding or KnownHeader.Upgrade;

    private static KnownHeader Match(ReadOnlySpan<byte> name, ReadOnlySpan<byte> first, KnownHeader firstHeader,
        ReadOnlySpan<byte> second = default, KnownHeader secondHeader = KnownHeader.None,
        ReadOnlySpan<byte> third = default, KnownHeader thirdHeader = KnownHeader.None)
    {
        if (Ascii.EqualsIgnoreCase(name, first)) return firstHeader;
        if (Ascii.EqualsIgnoreCase(name, second)) return secondHeader;
        if (Ascii.EqualsIgnoreCase(name, third)) return thirdHeader;
        return KnownHeader.None;
    }
}
