using System.Net;
using System.Net.Sockets;
using Proxy.Engine.Config.Schema;
using Proxy.Engine.Config.Toml;
using Proxy.Engine.Config.Values;

namespace Proxy.Engine.Config;

/// <summary>
/// Checks that need more than one table: unique names, routes naming defined clusters, listeners that do not
/// collide. Each error points at the later of two clashing places and names the line of the earlier one.
/// </summary>
/// <remarks>
/// Deliberately allowed: listeners with no routes (every request gets 404, which is what an operator
/// building a config step by step expects), and clusters no route uses (kept ready for a later reload).
/// </remarks>
internal static class ConfigCrossChecks
{
    public static void Check(ProxyConfig config, ReadContext context)
    {
        // Not when `listeners` was written as something other than an array: that error already says it all.
        if (config.Listeners.Count == 0 && context.ValueOf(config, "listeners") is null or TomlArray { Items.Count: 0 })
        {
            context.Errors.Add(context.PositionOf(config, "listeners"),
                "no [[listeners]] are defined; add at least one, with a `name` and a `listen` address like \"0.0.0.0:8080\"");
        }
        CheckUniqueNames(config.Listeners, listener => listener.Name, "listener", context);
        CheckUniqueNames(config.Routes, route => route.Name, "route", context);
        CheckUniqueNames(config.Clusters, cluster => cluster.Name, "cluster", context);
        CheckListenAddresses(config, context);
        CheckRouteClusters(config, context);
        RouteChecks.Check(config, context);
    }

    private static void CheckUniqueNames<T>(IReadOnlyList<T> items, Func<T, string> nameOf, string noun, ReadContext context)
        where T : class
    {
        var first = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (T item in items)
        {
            string name = nameOf(item);
            if (name.Length == 0) continue;     // missing or invalid, and already reported
            if (first.TryGetValue(name, out T? earlier))
            {
                SourcePosition here = context.PositionOf(item, "name");
                context.Errors.Add(here,
                    $"{noun} name `{name}` is already used by the {noun} at {context.PositionOf(earlier, "name").DescribeFrom(here)}; names must be unique");
            }
            else
            {
                first.Add(name, item);
            }
        }
    }

    private static void CheckListenAddresses(ProxyConfig config, ReadContext context)
    {
        var checkedSoFar = new List<ListenerConfig>();
        foreach (ListenerConfig listener in config.Listeners)
        {
            if (Placeholders.IsPlaceholder(listener.Listen)) continue;
            foreach (ListenerConfig earlier in checkedSoFar)
            {
                if (!Overlaps(earlier.Listen, listener.Listen)) continue;
                string how = earlier.Listen.Equals(listener.Listen) ? "as does"
                    : IsAnyAddress(earlier.Listen.Address) ? $"which is covered by {earlier.Listen} of"
                    : $"which covers {earlier.Listen} of";
                SourcePosition here = context.PositionOf(listener, "listen");
                context.Errors.Add(here,
                    $"listener `{listener.Name}` listens on {listener.Listen}, {how} listener `{earlier.Name}` at {context.PositionOf(earlier, "listen").DescribeFrom(here)}; each listener needs its own address and port");
                break;
            }
            checkedSoFar.Add(listener);

            if (config.Admin.Listen is { } admin && Overlaps(admin, listener.Listen))
            {
                if (context.WasWritten(config.Admin, "listen"))
                {
                    SourcePosition here = context.PositionOf(config.Admin, "listen");
                    context.Errors.Add(here,
                        $"[admin] listen = {admin} collides with listener `{listener.Name}` at {context.PositionOf(listener, "listen").DescribeFrom(here)}; give the admin listener its own port");
                }
                else
                {
                    context.Errors.Add(context.PositionOf(listener, "listen"),
                        $"listener `{listener.Name}` listens on {listener.Listen}, which collides with the admin listener's default {admin}; use another port, or set [admin] listen");
                }
            }
        }
    }

    // Same port and either the same address, or one of them is the any-address of the other's family: the
    // second bind would fail, or (with SO_REUSEPORT) silently take part of the first one's connections.
    private static bool Overlaps(IPEndPoint a, IPEndPoint b) =>
        a.Port == b.Port && a.AddressFamily == b.AddressFamily
        && (a.Address.Equals(b.Address) || IsAnyAddress(a.Address) || IsAnyAddress(b.Address));

    private static bool IsAnyAddress(IPAddress address) =>
        address.Equals(address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any);

    private static void CheckRouteClusters(ProxyConfig config, ReadContext context)
    {
        var defined = new List<string>();
        foreach (ClusterConfig cluster in config.Clusters)
        {
            if (cluster.Name.Length > 0) defined.Add(cluster.Name);
        }

        foreach (RouteConfig route in config.Routes)
        {
            CheckClusterDefined(route, route, route.Cluster, defined, context);
            foreach (SplitTargetConfig target in route.Split) CheckClusterDefined(route, target, target.Cluster, defined, context);
            if (route.Mirror is { } mirror) CheckClusterDefined(route, mirror, mirror.Cluster, defined, context);
        }
    }

    private static void CheckClusterDefined(RouteConfig route, object table, string? cluster, List<string> defined, ReadContext context)
    {
        if (string.IsNullOrEmpty(cluster) || defined.Contains(cluster)) return;
        string? suggestion = Spelling.Closest(cluster, defined);
        string hint = defined.Count == 0
            ? "there are no [[clusters]]"
            : (suggestion is null ? "" : $"did you mean `{suggestion}`? ") + $"defined clusters: {string.Join(", ", defined)}";
        context.Errors.Add(context.PositionOf(table, "cluster"),
            $"route `{route.Name}` uses cluster `{cluster}`, which is not defined; {hint}");
    }
}
