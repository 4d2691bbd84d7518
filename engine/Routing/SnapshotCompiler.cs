using System.Net;
using Proxy.Balancers;
using Proxy.Engine.Config;
using Proxy.Engine.Timeouts;
using Proxy.Engine.Upstreams;
using Proxy.Health;

namespace Proxy.Engine.Routing;

/// <summary>
/// Turns a validated <see cref="ProxyConfig"/> into a <see cref="RoutingSnapshot"/>. It remembers the
/// destinations of the previous compile, so a destination that is still configured keeps its live counters
/// and its pool of open connections; one that is gone has its pool closed. Called from the load and reload
/// path only, one compile at a time.
/// </summary>
internal sealed class SnapshotCompiler
{
    private readonly Heartbeat _heartbeat;
    private readonly IHealthEvents _healthEvents;
    private readonly SocketTransport _transport;
    private readonly Lock _compileLock = new();
    private Dictionary<(string Cluster, string Address), Destination> _live = [];
    private Dictionary<string, ClusterRuntime> _runtimes = new(StringComparer.Ordinal);
    private long _version;

    /// <param name="transport">How upstream connections are served: fixed for the server's life, as server.transport is.</param>
    public SnapshotCompiler(Heartbeat heartbeat, IHealthEvents? healthEvents = null, SocketTransport? transport = null)
    {
        _heartbeat = heartbeat;
        _healthEvents = healthEvents ?? NullHealthEvents.Instance;
        _transport = transport ?? new ServerConfig().Transport;
    }

    public RoutingSnapshot Compile(ProxyConfig config)
    {
        lock (_compileLock)
        {
            var next = new Dictionary<(string, string), Destination>();
            var runtimes = new Dictionary<string, ClusterRuntime>(StringComparer.Ordinal);
            var clusters = new Dictionary<string, Cluster>(StringComparer.Ordinal);
            foreach (ClusterConfig cluster in config.Clusters)
            {
                var destinations = new Destination[cluster.Destinations.Count];
                for (int i = 0; i < destinations.Length; i++)
                {
                    destinations[i] = Reuse(cluster, cluster.Destinations[i]) ?? Create(cluster, cluster.Destinations[i]);
                    next[(cluster.Name, destinations[i].Address)] = destinations[i];
                }
                _runtimes.TryGetValue(cluster.Name, out ClusterRuntime? previous);
                ClusterRuntime runtime = previous is not null && previous.Serves(cluster)
                    ? previous
                    : new ClusterRuntime(cluster, _healthEvents);
                runtime.SetDestinations(destinations);
                if (previous is not null && previous != runtime) runtime.InheritDrains(previous);
                runtimes[cluster.Name] = runtime;
                clusters[cluster.Name] = new Cluster(cluster, destinations, runtime);
            }

            (Route[] routes, RouteMatcher matcher) = RouteCompiler.Compile(config.Routes, clusters);

            foreach (var (key, destination) in _live)
            {
                if (!next.TryGetValue(key, out Destination? kept) || kept != destination) Retire(destination);
            }
            foreach (var (name, runtime) in _runtimes)
            {
                // Requests still in flight on a replaced runtime only report outcomes to it, which then go nowhere.
                if (!runtimes.TryGetValue(name, out ClusterRuntime? kept) || kept != runtime) runtime.Dispose();
            }
            _live = next;
            _runtimes = runtimes;
            return new RoutingSnapshot(config, routes, matcher, clusters, ++_version);
        }
    }

    /// <summary>Closes every pool: the process is stopping.</summary>
    public void RetireAll()
    {
        lock (_compileLock)
        {
            foreach (Destination destination in _live.Values) Retire(destination);
            foreach (ClusterRuntime runtime in _runtimes.Values) runtime.Dispose();
            _live = [];
            _runtimes = new(StringComparer.Ordinal);
        }
    }

    private Destination? Reuse(ClusterConfig cluster, DestinationConfig config)
    {
        if (!_live.TryGetValue((cluster.Name, config.Address), out Destination? existing)) return null;
        existing.State.Weight = config.Weight;
        if (existing.Pool.Settings == cluster.Pool) return existing;
        // New pool settings need a new pool; the counters carry over.
        return Create(cluster, config, existing.State);
    }

    private Destination Create(ClusterConfig cluster, DestinationConfig config, DestinationState? state = null)
    {
        // A DNS name is resolved when a connection is opened, so a name that does not resolve yet fails
        // requests (502) rather than the whole configuration.
        EndPoint endPoint = IPAddress.TryParse(config.Host.Trim('[', ']'), out IPAddress? ip)
            ? new IPEndPoint(ip, config.Port)
            : new DnsEndPoint(config.Host, config.Port);
        var pool = new UpstreamPool(endPoint, cluster.Pool, _transport);
        var destination = new Destination(cluster.Name, config.Address, endPoint,
            state ?? new DestinationState(config.Address, config.Weight), pool);
        destination.HeartbeatSlot = _heartbeat.Register(pool);
        return destination;
    }

    private void Retire(Destination destination)
    {
        if (destination.HeartbeatSlot >= 0) _heartbeat.Unregister(destination.HeartbeatSlot);
        destination.HeartbeatSlot = -1;
        destination.Pool.Dispose();
    }
}
