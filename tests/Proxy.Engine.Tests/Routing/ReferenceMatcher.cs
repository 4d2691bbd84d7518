using System.Text;
using System.Text.RegularExpressions;
using Proxy.Engine.Config;

namespace Proxy.Engine.Tests.Routing;

/// <summary>
/// The routing rules written the plain way, from the documentation rather than from the matcher: normalise the
/// path with strings, try every route, keep the best by the documented order. Slow and obviously right, so the
/// property test can hold the compiled matcher to it.
/// </summary>
internal static class ReferenceMatcher
{
    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private static readonly string[] StandardMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"];

    /// <summary>The name of the route, "NotFound", "InvalidPath" or "MethodNotAllowed: GET, HEAD".</summary>
    public static string Match(IReadOnlyList<RouteConfig> routes, string method, string authority, string target, IReadOnlyList<(string Name, string Value)> headers)
    {
        int question = target.IndexOf('?', StringComparison.Ordinal);
        string rawPath = question < 0 ? target : target[..question];
        string query = question < 0 ? "" : target[(question + 1)..];
        string? path = Normalize(rawPath);
        if (path is null) return "InvalidPath";
        string host = HostOf(authority);

        RouteConfig? best = null;
        (int, long, int, int, int) bestKey = default;
        var refusedMethods = new List<string>();
        for (int i = 0; i < routes.Count; i++)
        {
            RouteConfig route = routes[i];
            long? hostRank = HostRank(route, host);
            if (hostRank is null || !PathMatches(route, path) || !HeadersMatch(route, headers) || !QueryMatches(route, query)) continue;
            if (!MethodMatches(route, method))
            {
                refusedMethods.AddRange(route.Methods);
                if (route.Methods.Contains("GET")) refusedMethods.Add("HEAD");
                continue;
            }
            // Smaller is better: priority high first, host rank high first, path kind high first, longer prefix, file order.
            var key = (-route.Priority, -hostRank.Value, -PathKind(route), -PrefixLength(route), i);
            if (best is null || key.CompareTo(bestKey) < 0)
            {
                best = route;
                bestKey = key;
            }
        }
        if (best is not null) return best.Name;
        if (refusedMethods.Count == 0) return "NotFound";
        return "MethodNotAllowed: " + string.Join(", ", MethodOrder(routes).Where(refusedMethods.Contains));
    }

    /// <summary>The normal form, or null when the path is refused (bad escape, above the root).</summary>
    public static string? Normalize(string path)
    {
        if (!path.StartsWith('/')) return path;
        var decoded = new StringBuilder();
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] != '%')
            {
                decoded.Append(path[i]);
                continue;
            }
            if (i + 2 >= path.Length || !Uri.IsHexDigit(path[i + 1]) || !Uri.IsHexDigit(path[i + 2])) return null;
            char c = (char)Convert.ToInt32(path.Substring(i + 1, 2), 16);
            decoded.Append(Unreserved.Contains(c) ? c.ToString() : "%" + path.Substring(i + 1, 2).ToUpperInvariant());
            i += 2;
        }
        string[] segments = decoded.ToString().Split('/');
        var kept = new List<string>();
        bool trailingSlash = false;
        for (int i = 1; i < segments.Length; i++)
        {
            bool last = i == segments.Length - 1;
            switch (segments[i])
            {
                case "":
                    if (last) trailingSlash = true;
                    break;
                case ".":
                    trailingSlash = last;
                    break;
                case "..":
                    if (kept.Count == 0) return null;
                    kept.RemoveAt(kept.Count - 1);
                    trailingSlash = last;
                    break;
                default:
                    kept.Add(segments[i]);
                    trailingSlash = false;
                    break;
            }
        }
        return "/" + string.Join("/", kept) + (trailingSlash && kept.Count > 0 ? "/" : "");
    }

    private static string HostOf(string authority)
    {
        string host = authority;
        int colon = host.LastIndexOf(':');
        if (colon >= 0 && host.LastIndexOf(']') < colon) host = host[..colon];
        if (host.Length > 1 && host.EndsWith('.')) host = host[..^1];
        return host.ToLowerInvariant();
    }

    // null: no host pattern matches. Exact above every wildcard, a longer wildcard above a shorter, any host last.
    private static long? HostRank(RouteConfig route, string host)
    {
        if (route.Hosts.Count == 0) return 0;
        long? best = null;
        foreach (string pattern in route.Hosts)
        {
            long? rank = null;
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                string suffix = pattern[1..];
                if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.Ordinal)) rank = suffix.Length;
            }
            else if (host == pattern)
            {
                rank = int.MaxValue;
            }
            if (rank > (best ?? -1)) best = rank;
        }
        return best;
    }

    private static bool PathMatches(RouteConfig route, string path)
    {
        if (route.Path is not null) return path == route.Path;
        if (route.PathRegex is not null) return Regex.IsMatch(path, route.PathRegex);
        if (route.PathPrefix is null) return true;
        if (!route.PathPrefixSegments || route.PathPrefix == "/") return path.StartsWith(route.PathPrefix, StringComparison.Ordinal);
        // Whole segments: "/api" and "/api/" both take "/api", "/api/" and "/api/x", never "/apix".
        string prefix = route.PathPrefix.TrimEnd('/');
        return path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal);
    }

    private static int PathKind(RouteConfig route) =>
        route.Path is not null ? 3 : route.PathPrefix is not null ? 2 : route.PathRegex is not null ? 1 : 0;

    private static int PrefixLength(RouteConfig route)
    {
        if (route.PathPrefix is null) return 0;
        bool segments = route.PathPrefixSegments && route.PathPrefix != "/";
        return segments ? route.PathPrefix.TrimEnd('/').Length : route.PathPrefix.Length;
    }

    private static bool MethodMatches(RouteConfig route, string method) =>
        route.Methods.Count == 0 || route.Methods.Contains(method) || (method == "HEAD" && route.Methods.Contains("GET"));

    private static bool HeadersMatch(RouteConfig route, IReadOnlyList<(string Name, string Value)> headers)
    {
        foreach (FieldMatchConfig condition in route.Headers)
        {
            List<string> values = [.. headers.Where(h => string.Equals(h.Name, condition.Name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];
            if (!Holds(condition, values)) return false;
        }
        return true;
    }

    private static bool QueryMatches(RouteConfig route, string query)
    {
        var pairs = new List<(string Name, string Value)>();
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(equals < 0 ? (FormDecode(pair), "") : (FormDecode(pair[..equals]), FormDecode(pair[(equals + 1)..])));
        }
        foreach (FieldMatchConfig condition in route.Query)
        {
            if (!Holds(condition, [.. pairs.Where(p => p.Name == condition.Name).Select(p => p.Value)])) return false;
        }
        return true;
    }

    private static bool Holds(FieldMatchConfig condition, List<string> values) => condition.Kind switch
    {
        FieldMatchKind.Equals => values.Contains(condition.Value),
        FieldMatchKind.Present => values.Count > 0,
        FieldMatchKind.Absent => values.Count == 0,
        _ => values.Exists(value => Regex.IsMatch(value, condition.Value)),
    };

    private static string FormDecode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    // Standard methods in their fixed order, then the others in the order the file first names them.
    private static IEnumerable<string> MethodOrder(IReadOnlyList<RouteConfig> routes) =>
        StandardMethods.Concat(routes.SelectMany(route => route.Methods).Where(m => !StandardMethods.Contains(m)).Distinct());
}
