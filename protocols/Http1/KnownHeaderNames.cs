using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Recognises the names of <see cref="KnownHeader"/> without allocating: the length and first letter pick the only
/// candidate, then one case-insensitive compare, a machine word at a time, confirms it.
/// </summary>
internal static class KnownHeaderNames
{
    /// <summary>
    /// The known header <paramref name="name"/> spells in any case (RFC 9110 §5.1), or <see cref="KnownHeader.None"/>.
    /// <paramref name="name"/> must be a token (RFC 9110 §5.6.2), as every parsed field name is: the compare relies on it.
    /// </summary>
    /// <remarks>Its helpers are inlined into it: one call per field name, none per candidate.</remarks>
    public static KnownHeader Recognise(ReadOnlySpan<byte> name)
    {
        Debug.Assert(name.IndexOfAnyExcept(HttpCharacters.Token) < 0, "only tokens are recognised");
        if (name.Length < 2) return KnownHeader.None;
        KnownHeader candidate = Candidate(name.Length, name[0] | 0x20);
        return candidate != KnownHeader.None && EqualsLowerCase(name, LowerCaseName(candidate)) ? candidate : KnownHeader.None;
    }

    /// <summary>
    /// RFC 9110 §7.6.1: fields that describe one connection and so never cross a proxy. Proxy-Connection is not
    /// standard but old clients send it, and Keep-Alive is the HTTP/1.0 companion of Connection.
    /// </summary>
    public static bool IsHopByHop(KnownHeader header) => header is KnownHeader.Connection or KnownHeader.KeepAlive
        or KnownHeader.ProxyConnection or KnownHeader.Te or KnownHeader.TransferEncoding or KnownHeader.Upgrade;

    /// <summary>The one known header a name of <paramref name="length"/> bytes starting with <paramref name="firstLetter"/> (lower-cased) can be.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static KnownHeader Candidate(int length, int firstLetter) => (length, firstLetter) switch
    {
        (2, 't') => KnownHeader.Te,
        (3, 'v') => KnownHeader.Via,
        (4, 'h') => KnownHeader.Host,
        (4, 'd') => KnownHeader.Date,
        (6, 'c') => KnownHeader.Cookie,
        (6, 'e') => KnownHeader.Expect,
        (6, 's') => KnownHeader.Server,
        (7, 'u') => KnownHeader.Upgrade,
        (7, 't') => KnownHeader.Trailer,
        (10, 'c') => KnownHeader.Connection,
        (10, 'k') => KnownHeader.KeepAlive,
        (10, 's') => KnownHeader.SetCookie,
        (12, 'c') => KnownHeader.ContentType,
        (14, 'c') => KnownHeader.ContentLength,
        (15, 'x') => KnownHeader.XForwardedFor,
        (16, 'p') => KnownHeader.ProxyConnection,
        (16, 'x') => KnownHeader.XForwardedHost,
        (17, 't') => KnownHeader.TransferEncoding,
        (17, 'x') => KnownHeader.XForwardedProto,
        _ => KnownHeader.None,
    };

    /// <summary>The name of <paramref name="header"/> in lower case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> LowerCaseName(KnownHeader header) => header switch
    {
        KnownHeader.Te => "te"u8,
        KnownHeader.Via => "via"u8,
        KnownHeader.Host => "host"u8,
        KnownHeader.Date => "date"u8,
        KnownHeader.Cookie => "cookie"u8,
        KnownHeader.Expect => "expect"u8,
        KnownHeader.Server => "server"u8,
        KnownHeader.Upgrade => "upgrade"u8,
        KnownHeader.Trailer => "trailer"u8,
        KnownHeader.Connection => "connection"u8,
        KnownHeader.KeepAlive => "keep-alive"u8,
        KnownHeader.SetCookie => "set-cookie"u8,
        KnownHeader.ContentType => "content-type"u8,
        KnownHeader.ContentLength => "content-length"u8,
        KnownHeader.XForwardedFor => "x-forwarded-for"u8,
        KnownHeader.ProxyConnection => "proxy-connection"u8,
        KnownHeader.XForwardedHost => "x-forwarded-host"u8,
        KnownHeader.TransferEncoding => "transfer-encoding"u8,
        KnownHeader.XForwardedProto => "x-forwarded-proto"u8,
        _ => throw new UnreachableException(),
    };

    /// <summary>
    /// Whether <paramref name="token"/> is <paramref name="lowerCaseName"/> (same length, 2 to 24 lower-case letters
    /// and '-') in any case, compared a machine word at a time: words overlap rather than leave a tail.
    /// </summary>
    /// <remarks>
    /// Setting bit 0x20 of each token byte lower-cases A-Z and leaves a-z and '-' as they are. No other token byte
    /// becomes a letter or '-' that way ('^' and '_' become '~' and DEL; only CR, never in a token, becomes '-'), so
    /// for a token this is exactly an ASCII case-insensitive compare.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EqualsLowerCase(ReadOnlySpan<byte> token, ReadOnlySpan<byte> lowerCaseName)
    {
        Debug.Assert(token.Length == lowerCaseName.Length && token.Length is >= 2 and <= 24);
        int length = token.Length;
        if (length >= 8)
        {
            return Lower64(token, 0) == Read64(lowerCaseName, 0)
                && Lower64(token, length - 8) == Read64(lowerCaseName, length - 8)
                && (length <= 16 || Lower64(token, 8) == Read64(lowerCaseName, 8));
        }
        if (length >= 4)
        {
            return (Read32(token, 0) | 0x20202020) == Read32(lowerCaseName, 0)
                && (Read32(token, length - 4) | 0x20202020) == Read32(lowerCaseName, length - 4);
        }
        return (Read16(token, 0) | 0x2020) == Read16(lowerCaseName, 0)
            && (Read16(token, length - 2) | 0x2020) == Read16(lowerCaseName, length - 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Lower64(ReadOnlySpan<byte> bytes, int offset) => Read64(bytes, offset) | 0x2020202020202020;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Read64(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(bytes[offset..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Read32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Read16(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]);
}
