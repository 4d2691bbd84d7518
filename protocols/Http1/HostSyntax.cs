using static Proxy.Protocols.Http1.HttpCharacters;

namespace Proxy.Protocols.Http1;

/// <summary>
/// Checks an authority as it appears in a Host field or a request target (RFC 9110 §7.2, RFC 3986 §3.2):
/// <c>host [ ":" port ]</c> where host is a reg-name, an IPv4 address or a bracketed IPv6 address.
/// Stricter than RFC 3986 where the looser form has no use in HTTP: no userinfo, no empty host, no IPvFuture,
/// no IPv6 zone, and a port, when its colon is there, of 1 to 5 digits up to 65535.
/// </summary>
internal static class HostSyntax
{
    /// <summary>True when <paramref name="authority"/> is a valid <c>host [":" port]</c>; the port is mandatory when <paramref name="requirePort"/>.</summary>
    public static bool IsValidAuthority(ReadOnlySpan<byte> authority, bool requirePort)
    {
        if (authority.IsEmpty) return false;
        int hostLength;
        if (authority[0] == LeftBracket)
        {
            int close = authority.IndexOf(RightBracket);
            if (close < 0 || !IsIPv6(authority[1..close])) return false;
            hostLength = close + 1;
        }
        else
        {
            // The usual Host, a name without port or percent-encoding, is settled by one search.
            if (authority.IndexOfAnyExcept(PlainRegName) < 0) return !requirePort;
            hostLength = authority.IndexOf(Colon);
            if (hostLength < 0) hostLength = authority.Length;
            // IPv4address is a subset of reg-name, so one check covers both.
            if (!IsRegName(authority[..hostLength])) return false;
        }

        ReadOnlySpan<byte> rest = authority[hostLength..];
        if (rest.IsEmpty) return !requirePort;
        return rest[0] == Colon && IsPort(rest[1..]);
    }

    private static bool IsRegName(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty || host.IndexOfAnyExcept(RegName) >= 0) return false;
        // pct-encoded = "%" HEXDIG HEXDIG
        for (int percent = host.IndexOf(Percent); percent >= 0; percent = host.IndexOf(Percent))
        {
            if (percent + 2 >= host.Length || HexValue(host[percent + 1]) < 0 || HexValue(host[percent + 2]) < 0) return false;
            host = host[(percent + 3)..];
        }
        return true;
    }

    private static bool IsPort(ReadOnlySpan<byte> port)
    {
        if (port.Length is 0 or > 5) return false;
        int value = 0;
        foreach (byte b in port)
        {
            if (!IsDigit(b)) return false;
            value = (value * 10) + (b - '0');
        }
        return value <= ushort.MaxValue;
    }

    /// <summary>
    /// RFC 3986 §3.2.2 IPv6address: eight groups of 1-4 hex digits separated by ':', where one "::" stands for one
    /// or more zero groups and the last two groups may be written as a dotted IPv4 address.
    /// </summary>
    internal static bool IsIPv6(ReadOnlySpan<byte> address)
    {
        int groups = 0;
        bool compressed = address.StartsWith("::"u8);
        ReadOnlySpan<byte> rest = compressed ? address[2..] : address;
        if (rest.IsEmpty) return compressed;

        while (true)
        {
            int colon = rest.IndexOf(Colon);
            ReadOnlySpan<byte> group = colon < 0 ? rest : rest[..colon];
            if (colon < 0 && group.Contains((byte)'.'))
            {
                if (!IsIPv4(group)) return false;
                groups += 2;
                break;
            }
            if (group.Length is 0 or > 4 || group.IndexOfAnyExcept(HexDigit) >= 0) return false;
            groups++;
            if (colon < 0) break;

            rest = rest[(colon + 1)..];
            if (!rest.IsEmpty && rest[0] == Colon)
            {
                if (compressed) return false;
                compressed = true;
                rest = rest[1..];
                if (rest.IsEmpty) break;
            }
            else if (rest.IsEmpty)
            {
                return false;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    /// <summary>RFC 3986 §3.2.2 IPv4address: four dec-octets 0-255 without leading zeros.</summary>
    internal static bool IsIPv4(ReadOnlySpan<byte> address)
    {
        for (int octet = 0; octet < 4; octet++)
        {
            int dot = address.IndexOf((byte)'.');
            if ((dot < 0) != (octet == 3)) return false;
            ReadOnlySpan<byte> digits = dot < 0 ? address : address[..dot];
            if (digits.Length is 0 or > 3 || (digits.Length > 1 && digits[0] == '0')) return false;
            int value = 0;
            foreach (byte b in digits)
            {
                if (!IsDigit(b)) return false;
                value = (value * 10) + (b - '0');
            }
            if (value > 255) return false;
            address = dot < 0 ? [] : address[(dot + 1)..];
        }
        return true;
    }
}
