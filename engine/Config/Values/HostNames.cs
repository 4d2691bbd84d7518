using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Proxy.Engine.Config.Values;

/// <summary>The pieces of "host:port" shared by listener, admin, destination and route host checks.</summary>
internal static class HostNames
{
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// Splits "host:port" and "[v6]:port". On success <paramref name="host"/> has no brackets and
    /// <paramref name="bracketed"/> tells whether it had them. <paramref name="example"/> shows a right form in messages.
    /// </summary>
    public static bool TrySplitHostPort(string text, string example, out string host, out bool bracketed, out int port, out string problem)
    {
        host = "";
        port = 0;
        bracketed = false;
        problem = "";
        if (text.Length == 0)
        {
            problem = $"is empty; write a host and port like \"{example}\"";
            return false;
        }

        string portText;
        if (text[0] == '[')
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                problem = close < 0 ? "has `[` without `]`" : $"has no port after the `]`; write it like \"[::1]:8080\"";
                return false;
            }
            host = text[1..close];
            bracketed = true;
            portText = text[(close + 2)..];
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                problem = $"has no port; write it like \"{example}\"";
                return false;
            }
            if (text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                problem = "looks like an IPv6 address without brackets; write it like \"[::1]:8080\"";
                return false;
            }
            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            problem = $"has no host before the port; write it like \"{example}\"";
            return false;
        }
        if (!TryParsePort(portText, out port))
        {
            problem = $"has the port `{portText}`; a port is a number from 1 to 65535";
            return false;
        }
        return true;
    }

    /// <summary>Exactly four decimal parts, 0-255, no leading zeros.</summary>
    /// <remarks>
    /// Stricter than <see cref="IPAddress.TryParse(string, out IPAddress)"/>, which takes "127.1" and "010.0.0.1"
    /// (octal to some tools, decimal to others): a config should mean the same thing to every reader.
    /// </remarks>
    public static bool TryParseIPv4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        string[] parts = text.Split('.');
        if (parts.Length != 4) return false;
        foreach (string part in parts)
        {
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')) return false;
            foreach (char c in part)
            {
                if (!char.IsAsciiDigit(c)) return false;
            }
            if (int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture) > 255) return false;
        }
        address = IPAddress.Parse(text);
        return true;
    }

    public static bool TryParseIPv6(string text, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        if (!IPAddress.TryParse(text, out IPAddress? parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6) return false;
        address = parsed;
        return true;
    }

    /// <summary>True when the last label is all digits: meant as an IPv4 address, never a DNS name (no top-level domain is numeric).</summary>
    public static bool LooksNumeric(string host)
    {
        int lastDot = host.LastIndexOf('.');
        ReadOnlySpan<char> last = host.AsSpan(lastDot + 1);
        if (last.IsEmpty) return false;
        foreach (char c in last)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    /// <summary>
    /// RFC 1123 host name rules: dot-separated labels of letters, digits and '-' (not at either end), at most
    /// 63 characters each and 253 in all. Returns null when valid, else the problem as a sentence fragment.
    /// </summary>
    /// <param name="allowUnderscore">Destinations allow '_': container and service names often carry one, and resolvers accept it.</param>
    public static string? CheckDnsName(string name, bool allowUnderscore)
    {
        if (name.Length > MaxNameLength) return $"is longer than the {MaxNameLength} characters a host name may have";
        if (name.EndsWith('.')) return "ends with a dot; remove it";
        foreach (string label in name.Split('.'))
        {
            if (label.Length == 0) return "has an empty label (two dots in a row, or a leading dot)";
            if (label.Length > MaxLabelLength) return $"has a label longer than {MaxLabelLength} characters";
            if (label[0] == '-' || label[^1] == '-') return $"has the label `{label}`, which starts or ends with '-'";
            foreach (char c in label)
            {
                if (char.IsAsciiLetterOrDigit(c) || c == '-' || (allowUnderscore && c == '_')) continue;
                return c > 127
                    ? $"has `{c}`; write international names in their xn-- (punycode) form"
                    : $"has `{c}`; host names may use only letters, digits, '-' and '.'";
            }
        }
        return null;
    }

    private static bool TryParsePort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5) return false;
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        port = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return port is >= 1 and <= 65535;
    }
}
