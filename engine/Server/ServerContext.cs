using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ObjectPool;
using Pipelines.Sockets.Unofficial;
using Proxy.Engine.Connections;
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

    public ServerContext(ClientLimits limits, ILogger logger, SocketConnectionOptions clientTransport)
    {
        _limits = limits;
        ClientTransport = clientTransport;
        Logger = logger;
        Heartbeat = new Heartbeat(Heartbeat.DefaultInterval);
        ResponseHeads = new DefaultObjectPool<ResponseHead>(
            new MessageHeadPolicy<ResponseHead>(() => new ResponseHead(ResponseHeadLimits)), 1024);
    }

    public RoutingTable Routing { get; } = new();
    public Heartbeat Heartbeat { get; }
    public ProxyStats Stats { get; } = new();
    public AllocationMeter Allocations { get; } = new();
    public ConnectionSet Connections { get; } = new();
    public ObjectPool<ResponseHead> ResponseHeads { get; }
    public ILogger Logger { get; }

    /// <summary>How client sockets are wrapped (see <see cref="TransportOptions.Client"/>).</summary>
    public SocketConnectionOptions ClientTransport { get; }

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
