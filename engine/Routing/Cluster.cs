using Proxy.Engine.Config;

namespace Proxy.Engine.Routing;

/// <summary>
/// The compiled form of a <see cref="ClusterConfig"/> inside a <see cref="RoutingSnapshot"/>: its destinations and
/// timeouts, and the <see cref="ClusterRuntime"/> (health, retries, balancer, usable destinations) that outlives
/// snapshots.
/// </summary>
internal sealed class Cluster
{
    private readonly Destination[] _destinations;

    public Cluster(ClusterConfig config, Destination[] destinations, ClusterRuntime runtime)
    {
        Name = config.Name;
        Config = config;
        _destinations = destinations;
        Runtime = runtime;
        ResponseHeaderTimeoutMs = (long)config.Timeouts.ResponseHeader.TotalMilliseconds;
        IdleTimeoutMs = (long)config.Timeouts.Idle.TotalMilliseconds;
    }

    public string Name { get; }
    public ClusterConfig Config { get; }
    public ClusterRuntime Runtime { get; }

    /// <summary>Every configured destination, usable or not.</summary>
    public ReadOnlySpan<Destination> Destinations => _destinations;

    public long ResponseHeaderTimeoutMs { get; }
    public long IdleTimeoutMs { get; }
}
