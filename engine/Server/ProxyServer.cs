using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Proxy.Engine.Admin;
using Proxy.Engine.Config;
using Proxy.Engine.Connections;
using Proxy.Engine.Listeners;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Server;

/// <summary>
/// The running proxy: compiles the configuration into a routing snapshot, opens the listeners (each with
/// <c>server.workers</c> SO_REUSEPORT sockets and an accept loop per socket) and the admin listener, and on
/// stop drains: stop accepting, let requests in flight finish within the shutdown timeout, then cut the rest.
/// </summary>
public sealed class ProxyServer : IAsyncDisposable
{
    private readonly ServerContext _context;
    private readonly SnapshotCompiler _compiler;
    private readonly ConnectionLimiter _connectionLimit;
    private readonly List<AcceptLoop> _acceptLoops = [];
    private AdminServer? _admin;
    private int _stopped;

    public ProxyServer(ProxyConfig config, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Config = config;
        _context = new ServerContext(new ClientLimits(config.Limits), loggerFactory.CreateLogger("proxy"),
            TransportOptions.Client(config.Server.ReleaseIdleBuffers));
        _compiler = new SnapshotCompiler(_context.Heartbeat);
        _connectionLimit = new ConnectionLimiter(config.Limits.MaxConnections);
    }

    public ProxyConfig Config { get; }

    /// <summary>Where each listener ended up (useful with port 0), in configuration order.</summary>
    public IReadOnlyList<IPEndPoint> ListenerEndPoints { get; private set; } = [];

    /// <summary>Where the admin API listens, or null when it is off.</summary>
    public IPEndPoint? AdminEndPoint => _admin?.LocalEndPoint;

    internal ServerContext Context => _context;

    /// <summary>Publishes the routing snapshot and opens every socket; throws <see cref="ProxyStartException"/> when one cannot be opened.</summary>
    public void Start()
    {
        RoutingSnapshot snapshot = _compiler.Compile(Config);
        _context.Routing.Publish(snapshot);
        Log.ConfigLoaded(_context.Logger, Config.SourcePath, Config.Routes.Count, Config.Clusters.Count, snapshot.Version);

        int workers = Config.Server.Workers > 0 ? Config.Server.Workers : Environment.ProcessorCount;
        var endPoints = new List<IPEndPoint>();
        try
        {
            foreach (ListenerConfig listener in Config.Listeners)
            {
                endPoints.Add(OpenListener(listener, workers));
            }
            if (Config.Admin.Listen is { } adminEndPoint)
            {
                Bind("admin", adminEndPoint, endPoint => { ListenerSocket.EnsureFree(endPoint); return true; });
                _admin = new AdminServer(_context, Config.Admin, Bind("admin", adminEndPoint, ListenerSocket.Open));
                _admin.Start();
                Log.AdminListening(_context.Logger, _admin.LocalEndPoint);
            }
        }
        catch
        {
            foreach (AcceptLoop loop in _acceptLoops) _ = loop.StopAsync();
            throw;
        }
        ListenerEndPoints = endPoints;
    }

    private IPEndPoint OpenListener(ListenerConfig listener, int workers)
    {
        IPEndPoint first = listener.Listen;
        Bind(listener.Name, first, endPoint => { ListenerSocket.EnsureFree(endPoint); return true; });
        for (int i = 0; i < workers; i++)
        {
            // With port 0 the first socket picks the port; the others must share that one, not pick their own.
            IPEndPoint endPoint = i == 0 ? first : new IPEndPoint(first.Address, _acceptLoops[^1].LocalEndPoint.Port);
            var loop = new AcceptLoop(Bind(listener.Name, endPoint, ListenerSocket.Open), _context, _connectionLimit);
            _acceptLoops.Add(loop);
            loop.Start();
        }
        IPEndPoint bound = _acceptLoops[^1].LocalEndPoint;
        Log.Listening(_context.Logger, listener.Name, bound, workers);
        return bound;
    }

    private static T Bind<T>(string name, IPEndPoint endPoint, Func<IPEndPoint, T> open)
    {
        try
        {
            return open(endPoint);
        }
        catch (SocketException ex)
        {
            string why = ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "the address is already in use by another process",
                SocketError.AddressNotAvailable => "the address does not belong to this machine",
                SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
                _ => ex.Message,
            };
            throw new ProxyStartException($"cannot listen on {endPoint} ({name}): {why}", ex);
        }
    }

    /// <summary>
    /// Stops accepting, lets in-flight requests finish for up to <paramref name="drainTimeout"/> (idle
    /// keep-alive connections close at once), then cuts whatever is left and closes the upstream pools.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        foreach (AcceptLoop loop in _acceptLoops) await loop.StopAsync().ConfigureAwait(false);
        Log.Draining(_context.Logger, _context.Connections.Count, drainTimeout);
        _context.BeginDraining();

        DateTime deadline = DateTime.UtcNow + drainTimeout;
        while (_context.Connections.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
        if (_context.Connections.Count > 0)
        {
            Log.DrainTimedOut(_context.Logger, _context.Connections.Count);
            _context.Connections.AbortAll();
            for (int i = 0; i < 50 && _context.Connections.Count > 0; i++) await Task.Delay(20).ConfigureAwait(false);
        }
        if (_admin is not null) await _admin.StopAsync().ConfigureAwait(false);
        _compiler.RetireAll();
        _context.Heartbeat.Dispose();
        Log.Stopped(_context.Logger);
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
}
