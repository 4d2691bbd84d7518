using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Proxy.Engine.Config.Values;

/// <summary>Addresses in the config: what the proxy binds to, and where destinations are.</summary>
internal static class EndpointParser
{
    /// <summary>
    /// A listening address: an IPv4 literal or a bracketed IPv6 literal, and a port from 1 to 65535.
    /// Port 0 is refused: with one socket per worker (SO_REUSEPORT) each would get a different port.
    /// </summary>
    public static bool TryParseListen(string text, [NotNullWhen(true)] out IPEndPoint? endpoint, out string problem)
    {
        endpoint = null;
        if (!HostNames.TrySplitHostPort(text, "127.0.0.1:8080", out string host, out bool bracketed, out int port, out problem))
        {
            return false;
        }

        IPAddress address;
        if (bracketed)
        {
            if (!HostNames.TryParseIPv6(host, out address))
            {
                problem = $"has `[{host}]`, which is not an IPv6 address";
                return false;
            }
        }
        else if (!HostNames.TryParseIPv4(host, out address))
        {
            problem = HostNames.LooksNumeric(host)
                ? $"has `{host}`, which is not an IPv4 address (four numbers 0-255, like 127.0.0.1)"
                : "names a host; a listener binds to an IP address, like \"0.0.0.0:8080\", \"127.0.0.1:8080\" or \"[::]:8080\"";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>
    /// A destination: IPv4, [IPv6] or a DNS name (resolved later by the engine), and a port. IPv6 hosts come
    /// back without brackets, ready for <see cref="IPAddress.Parse(string)"/>.
    /// </summary>
    public static bool TryParseDestination(string text, out string host, out int port, out string problem)
    {
        if (!HostNames.TrySplitHostPort(text, "10.0.0.5:8080", out host, out bool bracketed, out port, out problem))
        {
            return false;
        }

        if (bracketed)
        {
            if (HostNames.TryParseIPv6(host, out _)) return true;
            problem = $"has `[{host}]`, which is not an IPv6 address";
            return false;
        }
        if (HostNames.LooksNumeric(host))
        {
            if (HostNames.TryParseIPv4(host, out _)) return true;
            problem = $"has `{host}`, which is not an IPv4 address (four numbers 0-255, like 10.0.0.5)";
            return false;
        }
        string? nameProblem = HostNames.CheckDnsName(host, allowUnderscore: true);
        if (nameProblem is null) return true;
        problem = $"has the host `{host}`, which {nameProblem}";
        return false;
    }
}
