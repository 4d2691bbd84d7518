using System.Collections.Concurrent;
using Prometheus;
using Proxy.Engine.AccessLog;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Metrics;

/// <summary>
/// The proxy's Prometheus metrics, in a registry of their own (not prometheus-net's static default one, so tests,
/// benchmarks and a second server in one process never share series). Served by the admin listener at GET /metrics.
/// </summary>
/// <remarks>
/// <para>Three sources, chosen by cost on the request path:</para>
/// <list type="bullet">
/// <item>Per request, through <see cref="RequestObservers.OnCompleted"/>: counters and histograms by route, cluster and
/// status class. Their labelled children are resolved ahead, in <see cref="RouteMetrics"/> and friends, so an update is
/// a few interlocked operations and allocates nothing.</item>
/// <item>At scrape time (<see cref="Collect"/>): what other parts already count lock-free (<see cref="ProxyStats"/>, the
/// upstream pools, <see cref="Proxy.Balancers.DestinationState"/>, the GC) is copied into the registry. The request
/// path pays nothing for these.</item>
/// <item>On events: health changes (<see cref="HealthMetrics"/>), reloads (<see cref="ReloadSucceeded"/>).</item>
/// </list>
/// <para>Cardinality is bounded by the configuration: every label value is a route, cluster or destination name from
/// the config, or an enum (traefik/traefik#7278). Nothing the client sends (path, host, address) becomes a label. The
/// per-name tables hold the names of the current configuration: <see cref="Sync"/> removes the series of names a reload
/// dropped, so there is no table that could grow with traffic and no need for eviction.</para>
/// <para>Thread-safety: the per-name objects are created and pruned under a lock (reload and scrape paths only); the
/// request path only touches objects it already holds.</para>
/// </remarks>
internal sealed partial class ProxyMetrics
{
    /// <summary>Histogram buckets for request and upstream durations, in seconds: sub-millisecond up to 30 s.</summary>
    internal static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly ProxyStats _stats;
    private readonly RoutingTable? _routing;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, RouteMetrics> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClusterMetrics> _clusters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Cluster, string Address), DestinationMetrics> _destinations = new();
    private long _attachedVersion = -1;

    /// <summary>Metrics fed by <paramref name="stats"/> and, at scrape time, by the pools of <paramref name="routing"/>'s current snapshot.</summary>
    public ProxyMetrics(ProxyStats stats, RoutingTable? routing = null)
    {
        _stats = stats;
        _routing = routing;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Families = new MetricFamilies(Registry);
        Unmatched = new RouteMetrics(this, "", null);
        Families.ConfigLastSuccess.SetToCurrentTimeUtc();
        DotNetStats.Register(Registry);
        Registry.AddBeforeCollectCallback(Collect);
    }

    /// <summary>The registry /metrics exports.</summary>
    public CollectorRegistry Registry { get; }

    internal MetricFamilies Families { get; }

    /// <summary>What requests that matched no route (404) or were refused before routing count under: route="" cluster="".</summary>
    public RouteMetrics Unmatched { get; }

    /// <summary>Lines written and dropped by the access log, whichever logger instance is current.</summary>
    public AccessLogCounters AccessLog { get; } = new();

    /// <summary>
    /// False (the default): <c>proxy_upstream_connections_closed_total</c> reports every close from the pool's own count as
    /// reason="unspecified". Set true once the pool reports each close through <see cref="DestinationMetrics.OnConnectionClosed"/>:
    /// the reasons then come from those calls only.
    /// </summary>
    public bool CloseReasonsReported { get; set; }

    /// <summary>The metrics of route <paramref name="name"/>, created on first use and kept across reloads while the route exists.</summary>
    /// <param name="name">The route's name.</param>
    /// <param name="cluster">The cluster it sends to: requests are counted by route and cluster. Null for a route that
    /// has no single cluster (it splits, redirects or answers itself): counted under cluster="".</param>
    public RouteMetrics Route(string name, string? cluster)
    {
        if (_routes.TryGetValue(name, out RouteMetrics? existing) && existing.ClusterName == (cluster ?? "")) return existing;
        lock (_lock)
        {
            if (_routes.TryGetValue(name, out existing))
            {
                if (existing.ClusterName == (cluster ?? "")) return existing;
                // Same route, new cluster: the route-only series (durations, bytes) carry on; the per-cluster ones move.
                existing.Remove(keepRouteSeries: true);
            }
            var created = new RouteMetrics(this, name, cluster is null ? null : Cluster(cluster));
            _routes[name] = created;
            return created;
        }
    }

    /// <summary>The metrics of cluster <paramref name="name"/>, created on first use.</summary>
    public ClusterMetrics Cluster(string name)
    {
        if (_clusters.TryGetValue(name, out ClusterMetrics? existing)) return existing;
        lock (_lock)
        {
            return _clusters.GetOrAdd(name, static (n, families) => new ClusterMetrics(families, n), Families);
        }
    }

    /// <summary>The metrics of destination <paramref name="address"/> of <paramref name="cluster"/>, created on first use.</summary>
    public DestinationMetrics Destination(string cluster, string address)
    {
        if (_destinations.TryGetValue((cluster, address), out DestinationMetrics? existing)) return existing;
        lock (_lock)
        {
            return _destinations.GetOrAdd((cluster, address), static (key, families) => new DestinationMetrics(families, key.Cluster, key.Address), Families);
        }
    }

    /// <summary>The destination's metrics if it is known; for events that must not create series (health).</summary>
    public DestinationMetrics? FindDestination(string cluster, string address) =>
        _destinations.TryGetValue((cluster, address), out DestinationMetrics? found) ? found : null;

    /// <summary>The cluster's metrics if it is known.</summary>
    public ClusterMetrics? FindCluster(string name) => _clusters.TryGetValue(name, out ClusterMetrics? found) ? found : null;

    /// <summary>
    /// Brings the per-name metrics in line with <paramref name="snapshot"/>: creates those of its routes, clusters and
    /// destinations, attaches each destination's pool for scrape-time reading, and removes the series of names it no
    /// longer has. Call on every load and reload, after compiling and before publishing; counters of names that stay
    /// carry on. Requests still running on the previous snapshot may lose their last counts of a removed name.
    /// </summary>
    public void Sync(RoutingSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            var routes = new HashSet<string>(StringComparer.Ordinal);
            foreach (Route route in snapshot.Routes)
            {
                Route(route.Name, route.ClusterOrNull?.Name);
                routes.Add(route.Name);
            }
            foreach (var (name, metrics) in _routes)
            {
                if (!routes.Contains(name) && _routes.TryRemove(name, out _)) metrics.Remove(keepRouteSeries: false);
            }

            AttachLocked(snapshot);
            foreach (var (name, metrics) in _clusters)
            {
                if (!snapshot.Clusters.ContainsKey(name) && _clusters.TryRemove(name, out _)) metrics.Remove();
            }
            foreach (var (key, metrics) in _destinations)
            {
                if (!Contains(snapshot, key.Cluster, key.Address) && _destinations.TryRemove(key, out _)) metrics.Remove();
            }
        }
    }

    /// <summary>A successful reload: counts it and stamps the time. <paramref name="snapshot"/> is then also <see cref="Sync"/>ed.</summary>
    public void ReloadSucceeded(RoutingSnapshot? snapshot = null)
    {
        if (snapshot is not null) Sync(snapshot);
        Families.ReloadSuccesses.Inc();
        Families.ConfigLastSuccess.SetToCurrentTimeUtc();
    }

    /// <summary>A reload refused with <paramref name="errorCount"/> configuration errors; the running configuration stays.</summary>
    public void ReloadFailed(int errorCount)
    {
        Families.ReloadFailures.Inc();
        if (errorCount > 0) Families.ConfigErrors.Inc(errorCount);
    }

    /// <summary>Writes every metric in the Prometheus text format (version 0.0.4).</summary>
    public Task ExportAsync(Stream output, CancellationToken cancellation = default) =>
        Registry.CollectAndExportAsTextAsync(output, cancellation);

    /// <summary>The content type of <see cref="ExportAsync"/>'s output.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Attaches the pools and live counters of the snapshot's destinations, creating the metrics of names not known yet
    // (so a configured route shows its zeros before its first request). Never replaces nor removes: that is Sync's job,
    // and a scrape may run between a compile and its publication.
    private void AttachLocked(RoutingSnapshot snapshot)
    {
        foreach (Route route in snapshot.Routes)
        {
            if (!_routes.ContainsKey(route.Name)) Route(route.Name, route.ClusterOrNull?.Name);
        }
        foreach (Cluster cluster in snapshot.Clusters.Values)
        {
            Cluster(cluster.Name);
            foreach (Routing.Destination destination in cluster.Destinations)
            {
                Destination(cluster.Name, destination.Address).Attach(destination.Pool, destination.State);
            }
        }
        _attachedVersion = snapshot.Version;
    }

    private static bool Contains(RoutingSnapshot snapshot, string cluster, string address)
    {
        if (!snapshot.Clusters.TryGetValue(cluster, out Cluster? found)) return false;
        foreach (Routing.Destination destination in found.Destinations)
        {
            if (destination.Address == address) return true;
        }
        return false;
    }
}
