using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Config.Values;

/// <summary>
/// Checks and parsers for the strings of a route: paths, methods, header names and values, regular expressions,
/// request keys and redirect templates. Each returns null (or true) when the text is good, else the problem as a
/// sentence fragment that completes "`key` = "text" ...".
/// </summary>
internal static class RouteValues
{
    /// <summary>The placeholders a redirect's <c>to</c> may use.</summary>
    public static readonly IReadOnlyList<string> RedirectPlaceholders = ["scheme", "host", "path", "query"];

    // Framing and hop-by-hop fields belong to the proxy (RFC 9110 §7.6.1); Host has its own key.
    private static readonly HashSet<string> ProxyOwnedHeaders = new(StringComparer.Ordinal)
    {
        "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
    };

    private static readonly string[] StandardMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"];

    /// <summary><c>path</c>: an absolute path in the normal form requests are matched in.</summary>
    public static string? CheckPath(string path) => CheckPathText(path) ?? CheckNormalForm(path);

    /// <summary><c>path_prefix</c>: as <see cref="CheckPath"/>.</summary>
    public static string? CheckPathPrefix(string prefix) => TextRules.CheckPathPrefix(prefix) ?? CheckNormalForm(prefix);

    /// <summary><c>strip_prefix</c> and <c>add_prefix</c>: a path of at least one segment, without a trailing slash.</summary>
    public static string? CheckRewritePrefix(string prefix)
    {
        string? problem = CheckPathText(prefix) ?? CheckNormalForm(prefix);
        if (problem is not null) return problem;
        if (prefix == "/") return "is just \"/\"; leave the key out";
        if (prefix.EndsWith('/')) return $"ends with '/'; write \"{prefix.TrimEnd('/')}\": prefixes are stripped and added on segment boundaries, and the path keeps its own slash";
        return null;
    }

    /// <summary><c>path_regex</c> and the <c>regex</c> form of header and query conditions.</summary>
    public static string? CheckRegex(string pattern)
    {
        if (pattern.Length == 0) return "is empty; it would match everything";
        try
        {
            _ = CreateRegex(pattern);
            return null;
        }
        catch (NotSupportedException ex)
        {
            return $"uses what the linear-time regex engine cannot run (backreferences, lookarounds, atomic groups): {ex.Message}";
        }
        catch (ArgumentException ex)
        {
            return $"does not compile: {ex.Message}";
        }
    }

    /// <summary>
    /// Every route regex runs in linear time whatever the pattern (its own byte automaton, or .NET's non-backtracking
    /// engine: see <see cref="ByteRegex"/>), so no request can make matching catastrophic, and no timeout is needed.
    /// </summary>
    /// <remarks>
    /// Building one costs a millisecond or more, so each pattern is built once and shared (a Regex is immutable
    /// and thread-safe): validating a config and compiling it, and every reload that keeps the pattern, reuse it.
    /// </remarks>
    public static ByteRegex CreateRegex(string pattern)
    {
        if (Regexes.TryGetValue(pattern, out ByteRegex? regex)) return regex;
        regex = new ByteRegex(pattern);
        if (Regexes.Count >= MaxSharedRegexes) Regexes.Clear();     // patterns of long-gone configs
        return Regexes.GetOrAdd(pattern, regex);
    }

    private const int MaxSharedRegexes = 10_000;
    private static readonly ConcurrentDictionary<string, ByteRegex> Regexes = new(StringComparer.Ordinal);

    /// <summary>One entry of <c>methods</c>: a token (RFC 9110 §9.1), case-sensitive.</summary>
    public static bool TryParseMethod(string text, out string method, out string problem)
    {
        method = text;
        problem = "";
        if (!IsToken(text))
        {
            problem = "is not a method name (letters, digits and !#$%&'*+-.^_`|~ only)";
            return false;
        }
        string upper = text.ToUpperInvariant();
        if (upper != text && Array.IndexOf(StandardMethods, upper) >= 0)
        {
            problem = $"is not {upper}: methods are case-sensitive; write \"{upper}\"";
            return false;
        }
        if (text == "CONNECT")
        {
            problem = "is refused before routing: tunnelling is not supported";
            return false;
        }
        return true;
    }

    /// <summary>A header name, lower-cased: names compare case-insensitively.</summary>
    public static bool TryParseHeaderName(string text, out string name, out string problem)
    {
        name = text.ToLowerInvariant();
        problem = IsToken(text) ? "" : "is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)";
        return problem.Length == 0;
    }

    /// <summary>A header name that <c>set_headers</c>/<c>remove_headers</c> (and their response forms) may name.</summary>
    public static bool TryParseEditableHeaderName(string text, out string name, out string problem)
    {
        if (!TryParseHeaderName(text, out name, out problem)) return false;
        if (name == "host")
        {
            problem = "is chosen with `upstream_host`";
            return false;
        }
        if (ProxyOwnedHeaders.Contains(name))
        {
            problem = "is a framing or hop-by-hop header, which the proxy manages itself";
            return false;
        }
        return true;
    }

    /// <summary>A header value the proxy writes: visible ASCII, spaces and tabs inside, nothing that could end the line.</summary>
    public static string? CheckHeaderValue(string value)
    {
        foreach (char c in value)
        {
            if (c is '\r' or '\n' or '\0') return "has a line break or NUL, which would end the header";
            if ((c < ' ' && c != '\t') || c >= 127) return "has a control or non-ASCII character; header values are written as ASCII";
        }
        if (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))) return "starts or ends with whitespace, which HTTP drops";
        return null;
    }

    /// <summary><c>upstream_host</c>: a host name or address, with an optional port.</summary>
    public static string? CheckUpstreamHost(string text)
    {
        string host = text;
        int colon = text.LastIndexOf(':');
        int bracket = text.LastIndexOf(']');
        if (colon > bracket)
        {
            host = text[..colon];
            string port = text[(colon + 1)..];
            if (port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit) || int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) is 0 or > 65535)
            {
                return $"has the port `{port}`; a port is a number from 1 to 65535";
            }
        }
        if (host.Length == 0) return "has no host";
        if (host.StartsWith('[')) return host.EndsWith(']') && HostNames.TryParseIPv6(host[1..^1], out _) ? null : "is not an IPv6 address in brackets, like \"[::1]\"";
        if (HostNames.LooksNumeric(host)) return HostNames.TryParseIPv4(host, out _) ? null : "is not an IPv4 address (four numbers 0-255) nor a host name";
        return HostNames.CheckDnsName(host, allowUnderscore: true);
    }

    /// <summary>A redirect's <c>to</c>: visible ASCII, with placeholders from <see cref="RedirectPlaceholders"/> in braces.</summary>
    public static string? CheckRedirectTarget(string to)
    {
        if (to.Length == 0) return "is empty";
        for (int i = 0; i < to.Length; i++)
        {
            char c = to[i];
            if (c <= ' ' || c >= 127) return "has a space, control or non-ASCII character; write it percent-encoded";
            if (c == '}') return "has a '}' without its '{'";
            if (c != '{') continue;
            int close = to.IndexOf('}', i);
            if (close < 0) return "has a '{' without its '}'";
            string name = to[(i + 1)..close];
            if (!RedirectPlaceholders.Contains(name))
            {
                return $"has the placeholder {{{name}}}; the placeholders are {{scheme}}, {{host}}, {{path}} and {{query}}";
            }
            i = close;
        }
        return null;
    }

    /// <summary>RFC 9110 §5.6.2 token.</summary>
    public static bool IsToken(string text)
    {
        if (text.Length == 0) return false;
        foreach (char c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "!#$%&'*+-.^_`|~".IndexOf(c, StringComparison.Ordinal) < 0) return false;
        }
        return true;
    }

    // Like a path prefix: the rules of TextRules.CheckPathPrefix, phrased for any path key.
    private static string? CheckPathText(string path) => TextRules.CheckPathPrefix(path)?.Replace("the prefix is", "paths are", StringComparison.Ordinal);

    private static string? CheckNormalForm(string path)
    {
        string? normal = PathNormalizer.NormalizeText(path, out string problem);
        if (normal is null) return problem;
        return normal == path ? null : $"would never match: requests are matched after normalisation, which makes it \"{normal}\"; write that";
    }
}
