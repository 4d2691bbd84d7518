using Proxy.Engine.Config.Schema;

namespace Proxy.Engine.Config;

/// <summary>
/// Checks of one route that need more than one of its keys: one way to match the path, one thing to do with the
/// request (forward to a cluster, split, redirect or respond), and actions that fit what the route does. Each error
/// points at the key that cannot stay and says what to do.
/// </summary>
internal static class RouteChecks
{
    /// <summary>At most this many distinct methods outside the standard ones across all routes (the matcher keeps methods as bits).</summary>
    public const int MaxExtensionMethods = 48;

    private static readonly string[] PathKeys = ["path", "path_prefix", "path_regex"];

    // What a route that answers by itself (redirect, respond) has no use for.
    private static readonly string[] ForwardingKeys =
        ["cluster", "split", "split_key", "mirror", "strip_prefix", "add_prefix", "upstream_host", "set_headers", "remove_headers", "response_remove_headers"];

    public static void Check(ProxyConfig config, ReadContext context)
    {
        var extensionMethods = new HashSet<string>(StringComparer.Ordinal);
        foreach (RouteConfig route in config.Routes)
        {
            CheckOne(route, context);
            foreach (string method in route.Methods)
            {
                if (Array.IndexOf(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"], method) >= 0) continue;
                if (extensionMethods.Add(method) && extensionMethods.Count == MaxExtensionMethods + 1)
                {
                    context.Errors.Add(context.PositionOf(route, "methods"),
                        $"route `{route.Name}` brings the number of distinct non-standard methods over {MaxExtensionMethods}; routes cannot tell more apart");
                }
            }
        }
    }

    private static void CheckOne(RouteConfig route, ReadContext context)
    {
        string? firstPathKey = null;
        foreach (string key in PathKeys)
        {
            if (!context.WasWritten(route, key)) continue;
            if (firstPathKey is null)
            {
                firstPathKey = key;
                continue;
            }
            context.Errors.Add(context.PositionOf(route, key),
                $"route `{route.Name}` has both `{firstPathKey}` and `{key}`; a route matches the path one way: `path` (exact), `path_prefix` or `path_regex`");
        }
        if (context.WasWritten(route, "path_prefix_segments") && !context.WasWritten(route, "path_prefix"))
        {
            context.Errors.Add(context.PositionOf(route, "path_prefix_segments"), $"route `{route.Name}` has `path_prefix_segments` but no `path_prefix`");
        }

        string? answer = context.WasWritten(route, "redirect") ? "redirect" : context.WasWritten(route, "respond") ? "respond" : null;
        if (answer is not null)
        {
            CheckAnsweringRoute(route, answer, context);
            return;
        }

        bool cluster = context.WasWritten(route, "cluster"), split = context.WasWritten(route, "split");
        if (cluster && split)
        {
            context.Errors.Add(context.PositionOf(route, "split"),
                $"route `{route.Name}` has both `cluster` and `split`; list the cluster in the split instead, with its weight");
        }
        else if (!cluster && !split)
        {
            context.Errors.Add(context.PositionOf(route, "name"),
                $"route `{route.Name}` needs `cluster` (or `split` to share its traffic, `redirect` or `respond` to answer by itself)");
        }
        if (context.WasWritten(route, "split_key") && !split)
        {
            context.Errors.Add(context.PositionOf(route, "split_key"), $"route `{route.Name}` has `split_key` but no `split`");
        }
        if (route.Mirror is { } mirror && mirror.Cluster == route.Cluster)
        {
            context.Errors.Add(context.PositionOf(mirror, "cluster"),
                $"route `{route.Name}` mirrors to its own cluster `{mirror.Cluster}`, which would serve every copied request twice");
        }
        CheckStripPrefix(route, context);
        CheckHeaderEdits(route, "set_headers", route.SetHeaders, "remove_headers", route.RemoveHeaders, context);
        CheckHeaderEdits(route, "response_set_headers", route.ResponseSetHeaders, "response_remove_headers", route.ResponseRemoveHeaders, context);
    }

    private static void CheckAnsweringRoute(RouteConfig route, string answer, ReadContext context)
    {
        if (answer == "redirect" && context.WasWritten(route, "respond"))
        {
            context.Errors.Add(context.PositionOf(route, "respond"), $"route `{route.Name}` has both `redirect` and `respond`; it can answer one way");
        }
        foreach (string key in ForwardingKeys)
        {
            if (!context.WasWritten(route, key)) continue;
            context.Errors.Add(context.PositionOf(route, key),
                $"route `{route.Name}` answers by itself (`{answer}`), so `{key}` has no use; remove it, or move it to a route that forwards");
        }
        if (route.Respond is { Status: < 200 or 204 or 304, Body.Length: > 0 } respond)
        {
            context.Errors.Add(context.PositionOf(respond, "body"), $"`respond` status {respond.Status} never carries a body (RFC 9110 §6.4.1); remove `body`");
        }
        if (route.Respond is { Body.Length: 0, ContentType: not null } empty)
        {
            context.Errors.Add(context.PositionOf(empty, "content_type"), "`respond` has `content_type` but no `body`");
        }
    }

    // Stripping works on a segment boundary; a prefix the route's own path does not start with would never strip.
    private static void CheckStripPrefix(RouteConfig route, ReadContext context)
    {
        if (route.StripPrefix is not { } strip) return;
        string? matched = route.Path ?? route.PathPrefix;
        if (matched is null) return;
        bool onBoundary = matched.StartsWith(strip, StringComparison.Ordinal)
                          && (matched.Length == strip.Length || matched[strip.Length] == '/');
        if (onBoundary) return;
        string key = route.Path is null ? "path_prefix" : "path";
        context.Errors.Add(context.PositionOf(route, "strip_prefix"),
            $"`strip_prefix` = \"{strip}\" is not whole segments at the start of `{key}` = \"{matched}\", so the route's requests would keep their path");
    }

    private static void CheckHeaderEdits(RouteConfig route, string setKey, IReadOnlyList<HeaderValueConfig> set, string removeKey, IReadOnlyList<string> remove, ReadContext context)
    {
        foreach (HeaderValueConfig header in set)
        {
            if (!remove.Contains(header.Name.ToLowerInvariant())) continue;
            context.Errors.Add(context.PositionOf(route, removeKey),
                $"route `{route.Name}` both sets and removes \"{header.Name}\"; `{setKey}` already replaces what the message had");
        }
    }
}
