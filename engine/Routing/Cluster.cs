using Proxy.Balancers;
using Proxy.Engine.Config;

namespace Proxy.Engine.Routing;

/// <summary>
/// The compiled, immutable form of a <see cref="ClusterConfig"/> inside a <see cref="RoutingSnapshot"/>:
/// its destinations, its balancer and its timeouts, ready for the request path.
/// </summary>
internal sealed class Cluster
{
    private readonly Destination[] _destinations;
    private readonly DestinationState[] _states;   // parallel to _destinations: what the balancer picks from

    public Cluster(ClusterConfig config, Destination[] destinations, IBalancer balancer)
    {
        Name = config.Name;
        Config = config;
        _destinations = destinations;
        _states = new DestinationState[destinations.Length];
        for (int i = 0; i < destinations.Length; i++) _states[i] = destinations[i].State;
        Balancer = balancer;
        ResponseHeaderTimeoutMs = (long)config.Timeouts.ResponseHeader.TotalMilliseconds;
        IdleTimeoutMs = (long)config.Timeouts.Idle.TotalMilliseconds;
    }

    public string Name { get; }
    public ClusterConfig Config { get; }
    public IBalancer Balancer { get; }
    public ReadOnlySpan<Destination> Destinations => _destinations;
    public long ResponseHeaderTimeoutMs { get; }
    public long IdleTimeoutMs { get; }

    /// <summary>The destination for one request, or null when none may take traffic (the caller answers 503).</summary>
    public Destination? Pick(in PickContext context)
    {
        int index = Balancer.Pick(_states, context);
        return index < 0 ? null : _destinations[index];
    }
}
