using Proxy.Engine.Config;

namespace Proxy.Engine.Routing;

/// <summary>
/// Everything a request needs to find where it goes, compiled from one configuration and never changed after:
/// requests read the current snapshot once and use it to the end, while a reload publishes a new one.
/// </summary>
internal sealed class RoutingSnapshot
{
    private readonly Route[] _routes;    // in match order: priority, then specificity, then file order

    public RoutingSnapshot(ProxyConfig config, Route[] routes, IReadOnlyDictionary<string, Cluster> clusters, long version)
    {
        Config = config;
        _routes = routes;
        Clusters = clusters;
        Version = version;
    }

    /// <summary>A snapshot with no routes: every request gets 404.</summary>
    public static RoutingSnapshot Empty { get; } = new(new ProxyConfig(), [], new Dictionary<string, Cluster>(), 0);

    public ProxyConfig Config { get; }
    public IReadOnlyDictionary<string, Cluster> Clusters { get; }
    public ReadOnlySpan<Route> Routes => _routes;

    /// <summary>Increases with every published snapshot.</summary>
    public long Version { get; }

    /// <summary>The first route, in match order, that takes the request; null when none does (404).</summary>
    public Route? Match(ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path)
    {
        ReadOnlySpan<byte> host = HostPattern.StripPort(authority);
        foreach (Route route in _routes)
        {
            if (route.Matches(host, path)) return route;
        }
        return null;
    }
}
