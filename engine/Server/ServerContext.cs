using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Pipelines.Sockets.Unofficial;
using Proxy.Engine.AccessLog;
using Proxy.Engine.Config;
using Proxy.Engine.Connections;
using Proxy.Engine.Forwarding;
using Proxy.Health;
using Proxy.Engine.Metrics;
using Proxy.Engine.Routing;
using Proxy.Engine.Timeouts;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Server;

/// <summary>What every connection of the process shares: routing, limits, timers, counters, pools.</summary>
internal sealed class ServerContext
{
    /// <summary>
    /// Upstream response heads: larger than request heads by default (many Set-Cookie fields are common),
    /// and fixed, because they are not the client's to choose.
    /// </summary>
    public static readonly HeadLimits ResponseHeadLimits = new(64 * 1024, 256, 64 * 1024);

    private ClientLimits _limits;
    private int _draining;

    private TracingConfig _tracing;

    public ServerContext(ClientLimits limits, ILogger logger, SocketConnectionOptions clientTransport, ProxyConfig config)
    {
        _limits = limits;
        _tracing = config.Tracing;
        ClientTransport = clientTransport;
        Transport = config.Server.Transport;
        Logger = logger;
        Heartbeat = new Heartbeat(Heartbeat.DefaultInterval);
        Metrics = new ProxyMetrics(Stats, Routing);
        Observers = new RequestObservers(Metrics, AccessLogger.FromConfig(config.AccessLog, Metrics.AccessLog));
        HealthEvents = new LoggingHealthEvents(logger, new HealthMetrics(Metrics));
        Mirrors = new MirrorSender(Stats);
        ResponseHeads = new DefaultObjectPool<ResponseHead>(
            new MessageHeadPolicy<ResponseHead>(() => new ResponseHead(ResponseHeadLimits)), 1024);
    }

    public RoutingTable Routing { get; } = new();
    public Heartbeat Heartbeat { get; }
    public ProxyStats Stats { get; } = new();

    /// <summary>Sends the copies routes with a <c>mirror</c> make.</summary>
    public MirrorSender Mirrors { get; }
    public AllocationMeter Allocations { get; } = new();
    public ConnectionSet Connections { get; } = new();
    public ObjectPool<ResponseHead> ResponseHeads { get; }
    public ILogger Logger { get; }

    /// <summary>The Prometheus metrics (GET /metrics).</summary>
    public ProxyMetrics Metrics { get; }

    /// <summary>Where every finished request is reported: metrics and the access log.</summary>
    public RequestObservers Observers { get; }

    /// <summary>What health state changes go to: the log (once each) and the metrics.</summary>
    public IHealthEvents HealthEvents { get; }

    /// <summary>[tracing]: read by each connection when it starts.</summary>
    public TracingConfig Tracing => Volatile.Read(ref _tracing);

    public void PublishTracing(TracingConfig tracing) => Volatile.Write(ref _tracing, tracing);

    /// <summary>
    /// Publishes a compiled snapshot: its routes and destinations get their metrics first (series of names gone are
    /// removed), so the first request on it already counts.
    /// </summary>
    public void PublishSnapshot(RoutingSnapshot snapshot)
    {
        Metrics.Sync(snapshot);
        foreach (Route route in snapshot.Routes) route.Metrics = Metrics.Route(route.Name, route.ClusterOrNull?.Name);
        foreach (Cluster cluster in snapshot.Clusters.Values)
        {
            foreach (Destination destination in cluster.Destinations) destination.Metrics = Metrics.Destination(cluster.Name, destination.Address);
        }
        Routing.Publish(snapshot);
    }

    /// <summary>How client sockets are wrapped (see <see cref="TransportOptions.Client"/>).</summary>
    public SocketConnectionOptions ClientTransport { get; }

    /// <summary>server.transport as the server started with it: client sockets are served this way until restart.</summary>
    public SocketTransport Transport { get; }

    public ClientLimits Limits => Volatile.Read(ref _limits);
    public void PublishLimits(ClientLimits limits) => Volatile.Write(ref _limits, limits);

    /// <summary>Set once shutdown begins: connections finish their current request and close.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) != 0;

    /// <summary>
    /// The full fence of the exchange pairs with the one a connection takes when it goes idle: either the
    /// connection sees draining, or we see it idle and wake it.
    /// </summary>
    public void BeginDraining()
    {
        Interlocked.Exchange(ref _draining, 1);
        Connections.BeginDrainingAll();
    }
}
