using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Proxy.Engine.Admin;
using Proxy.Engine.Config;
using Proxy.Engine.Connections;
using Proxy.Engine.Listeners;
using Proxy.Engine.Reload;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Server;

/// <summary>
/// The running proxy: compiles the configuration into a routing snapshot, opens the listeners (each with
/// <c>server.workers</c> SO_REUSEPORT sockets and an accept loop per socket) and the admin listener; applies
/// reloaded configurations without dropping a request (partial file ProxyServer.Apply.cs); on stop drains:
/// stop accepting, let requests in flight finish within the shutdown timeout, then cut the rest.
/// </summary>
public sealed partial class ProxyServer : IAsyncDisposable
{
    private readonly ServerContext _context;
    private readonly SnapshotCompiler _compiler;
    private readonly ConnectionLimiter _connectionLimit;
    private readonly ReloadCoordinator _reloads;
    private List<Listener> _listeners = [];
    private AdminServer? _admin;
    private ProxyConfig _config;
    private int _stopped;

    /// <summary>
    /// A proxy for <paramref name="config"/>. With <paramref name="configPath"/>, reloads (file changes, SIGHUP,
    /// POST /admin/reload) re-read that file and the files it includes; without it the configuration is fixed.
    /// </summary>
    public ProxyServer(ProxyConfig config, ILoggerFactory loggerFactory, string? configPath = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _config = config;
        _context = new ServerContext(new ClientLimits(config.Limits), loggerFactory.CreateLogger("proxy"),
            TransportOptions.Client(config.Server.ReleaseIdleBuffers), config);
        _compiler = new SnapshotCompiler(_context.Heartbeat, _context.HealthEvents, config.Server.Transport);
        _connectionLimit = new ConnectionLimiter(config.Limits.MaxConnections);
        _reloads = new ReloadCoordinator(this, configPath, _context.Logger);
    }

    /// <summary>The running configuration (replaced by each applied reload).</summary>
    public ProxyConfig Config => Volatile.Read(ref _config);

    /// <summary>Where each listener ended up (useful with port 0), in configuration order.</summary>
    public IReadOnlyList<IPEndPoint> ListenerEndPoints => [.. Volatile.Read(ref _listeners).Select(l => l.BoundEndPoint)];

    /// <summary>Where the admin API listens, or null when it is off.</summary>
    public IPEndPoint? AdminEndPoint => Volatile.Read(ref _admin)?.LocalEndPoint;

    /// <summary>The running configuration's version, hash and load time, and the last reload attempt.</summary>
    public ConfigStatus ConfigStatus => _reloads.Status;

    internal ServerContext Context => _context;

    /// <summary>Publishes the routing snapshot and opens every socket; throws <see cref="ProxyStartException"/> when one cannot be opened.</summary>
    public void Start()
    {
        ProxyConfig config = Config;
        var listeners = new List<Listener>();
        AdminServer? admin = null;
        try
        {
            foreach (ListenerConfig listenerConfig in config.Listeners)
            {
                listeners.Add(OpenListener(listenerConfig, WorkersFor(config)));
            }
            if (config.Admin.Listen is { } adminEndPoint) admin = OpenAdmin(adminEndPoint);
        }
        catch
        {
            foreach (Listener listener in listeners) _ = listener.StopAsync(drain: false);
            if (admin is not null) _ = admin.StopAsync();
            throw;
        }

        RoutingSnapshot snapshot = _compiler.Compile(config);
        _context.PublishSnapshot(snapshot);
        _reloads.OnStarted(config, snapshot.Version);
        Log.ConfigLoaded(_context.Logger, config.SourcePath, config.Routes.Count, config.Clusters.Count, snapshot.Version);

        Volatile.Write(ref _listeners, listeners);
        foreach (Listener listener in listeners)
        {
            listener.Start();
            Log.Listening(_context.Logger, listener.Config.Name, listener.BoundEndPoint, listener.Workers);
        }
        if (admin is not null)
        {
            Volatile.Write(ref _admin, admin);
            admin.Start();
            Log.AdminListening(_context.Logger, admin.LocalEndPoint);
        }
        _reloads.StartWatching(config);
    }

    /// <summary>
    /// Reads the configuration files again and applies them if they are valid and changed; otherwise the running
    /// configuration stays untouched and the outcome says why. One reload at a time.
    /// </summary>
    public Task<ReloadOutcome> ReloadAsync(ReloadTrigger trigger) => _reloads.ReloadAsync(trigger);

    /// <summary>Runs <paramref name="action"/> between two reloads, never during one (see <see cref="ReloadCoordinator.BetweenReloadsAsync{T}"/>).</summary>
    internal Task<T> BetweenReloadsAsync<T>(Func<T> action) => _reloads.BetweenReloadsAsync(action);

    /// <summary>Reopens the access log file (after a log rotation moved it away); nothing when it logs to stdout or is off.</summary>
    public void ReopenAccessLog() => _context.Observers.AccessLog?.Reopen();

    /// <summary>
    /// Stops accepting, lets in-flight requests finish for up to <paramref name="drainTimeout"/> (idle
    /// keep-alive connections close at once), then cuts whatever is left and closes the upstream pools.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _reloads.Dispose();
        foreach (Listener listener in Volatile.Read(ref _listeners)) await listener.StopAsync(drain: false).ConfigureAwait(false);
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
        if (Volatile.Read(ref _admin) is { } admin) await admin.StopAsync().ConfigureAwait(false);
        _context.Observers.SwapAccessLog(null)?.Dispose();      // writes what it still has queued
        _compiler.RetireAll();
        _context.Heartbeat.Dispose();
        Log.Stopped(_context.Logger);
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero).ConfigureAwait(false);

    private static int WorkersFor(ProxyConfig config) =>
        config.Server.Workers > 0 ? config.Server.Workers : Environment.ProcessorCount;

    private Listener OpenListener(ListenerConfig config, int workers)
    {
        var listener = new Listener(config, _context, _connectionLimit);
        Bind(config.Name, config.Listen, () => listener.Open(workers));
        return listener;
    }

    private AdminServer OpenAdmin(IPEndPoint endPoint)
    {
        Socket socket = null!;
        Bind("admin", endPoint, () =>
        {
            ListenerSocket.EnsureFree(endPoint);
            socket = ListenerSocket.Open(endPoint);
        });
        return new AdminServer(_context, () => Config.Admin, this, socket, _context.Metrics);
    }

    /// <summary>Runs <paramref name="open"/>, turning a socket failure into a sentence naming the address.</summary>
    private static void Bind(string name, IPEndPoint endPoint, Action open)
    {
        try
        {
            open();
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
}
