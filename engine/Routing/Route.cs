using System.Text;
using Proxy.Engine.Config;

namespace Proxy.Engine.Routing;

/// <summary>The compiled, immutable form of a <see cref="RouteConfig"/> inside a <see cref="RoutingSnapshot"/>.</summary>
internal sealed class Route
{
    private readonly HostPattern[] _hosts;
    private readonly byte[] _pathPrefix;

    public Route(RouteConfig config, int fileOrder, Cluster cluster)
    {
        Name = config.Name;
        Config = config;
        FileOrder = fileOrder;
        Cluster = cluster;
        _hosts = new HostPattern[config.Hosts.Count];
        for (int i = 0; i < _hosts.Length; i++) _hosts[i] = new HostPattern(config.Hosts[i]);
        _pathPrefix = Encoding.ASCII.GetBytes(config.PathPrefix ?? "");
    }

    public string Name { get; }
    public RouteConfig Config { get; }
    public int FileOrder { get; }
    public Cluster Cluster { get; }
    public int Priority => Config.Priority;

    /// <summary>This route's request metrics; attached when the snapshot is published.</summary>
    public Metrics.RouteMetrics? Metrics { get; set; }

    /// <summary>How specific the host condition is: 2 exact, 1 wildcard, 0 any host.</summary>
    public int HostSpecificity
    {
        get
        {
            if (_hosts.Length == 0) return 0;
            foreach (HostPattern host in _hosts) if (!host.IsWildcard) return 2;
            return 1;
        }
    }

    public int PathPrefixLength => _pathPrefix.Length;

    /// <summary>Whether a request for <paramref name="host"/> (port already stripped) and <paramref name="path"/> is ours.</summary>
    public bool Matches(ReadOnlySpan<byte> host, ReadOnlySpan<byte> path)
    {
        if (!path.StartsWith(_pathPrefix)) return false;
        if (_hosts.Length == 0) return true;
        foreach (HostPattern pattern in _hosts)
        {
            if (pattern.Matches(host)) return true;
        }
        return false;
    }

    public override string ToString() => Name;
}
