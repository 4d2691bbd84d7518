namespace Proxy.Engine.Config.Values;

/// <summary>
/// One entry of a route's <c>hosts</c>: an exact name ("api.example.com") or a leading wildcard
/// ("*.example.org", any name ending in ".example.org", not the bare "example.org"). Stored lower-case,
/// because Host is case-insensitive (RFC 9110 §4.2.3) and the matcher compares lower-case bytes.
/// </summary>
internal static class RouteHostParser
{
    public static bool TryNormalize(string text, out string normalized, out string problem)
    {
        normalized = text.ToLowerInvariant();
        problem = "";
        bool wildcard = normalized.StartsWith("*.", StringComparison.Ordinal);
        string name = wildcard ? normalized[2..] : normalized;

        if (normalized.Length == 0)
        {
            problem = "is empty";
            return false;
        }
        if (normalized == "*")
        {
            problem = "matches every host; leave `hosts` out of the route instead";
            return false;
        }
        if (name.Contains('*', StringComparison.Ordinal))
        {
            problem = "has a `*` that is not a leading \"*.\"; only names like \"*.example.org\" may use a wildcard";
            return false;
        }
        if (name.StartsWith('[') || HostNames.LooksNumeric(name))
        {
            return TryCheckAddress(name, wildcard, out problem);
        }
        if (name.Contains(':', StringComparison.Ordinal))
        {
            problem = "has a port; hosts are matched without the port of the Host header";
            return false;
        }

        string? nameProblem = HostNames.CheckDnsName(name, allowUnderscore: false);
        if (nameProblem is null) return true;
        problem = nameProblem;
        return false;
    }

    // An IP literal in Host ("10.0.0.5", "[::1]") is matched exactly; a wildcard in front of one means nothing.
    private static bool TryCheckAddress(string name, bool wildcard, out string problem)
    {
        problem = "";
        if (wildcard)
        {
            problem = "puts a wildcard in front of an IP address";
            return false;
        }
        if (name.StartsWith('['))
        {
            if (name.EndsWith(']') && HostNames.TryParseIPv6(name[1..^1], out _)) return true;
            problem = "is not an IPv6 address in brackets, like \"[::1]\"";
            return false;
        }
        if (HostNames.TryParseIPv4(name, out _)) return true;
        problem = "is not an IPv4 address (four numbers 0-255) nor a host name";
        return false;
    }
}
