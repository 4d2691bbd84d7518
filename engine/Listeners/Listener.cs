using System.Net;
using System.Net.Sockets;
using Proxy.Engine.Config;
using Proxy.Engine.Connections;
using Proxy.Engine.Server;

namespace Proxy.Engine.Listeners;

/// <summary>
/// One configured listener: its SO_REUSEPORT sockets (one accept loop each) and the connections they accepted.
/// A reload keeps a listener whose name, address and protocols are unchanged, opens new ones before the new
/// configuration is published, and stops removed ones after: they stop accepting and their connections finish
/// their current request and close.
/// </summary>
internal sealed class Listener
{
    private readonly ServerContext _server;
    private readonly ConnectionLimiter _connectionLimit;
    private readonly List<AcceptLoop> _acceptLoops = [];

    public Listener(ListenerConfig config, ServerContext server, ConnectionLimiter connectionLimit)
    {
        Config = config;
        _server = server;
        _connectionLimit = connectionLimit;
    }

    /// <summary>What the operator configured; a reload may rename the listener or change its protocols in place.</summary>
    public ListenerConfig Config { get; set; }

    /// <summary>The client connections this listener accepted that are still open.</summary>
    public ConnectionSet Connections { get; } = new();

    /// <summary>Where the sockets are bound (with port 0 in the configuration, the port the kernel chose).</summary>
    public IPEndPoint BoundEndPoint => _acceptLoops[0].LocalEndPoint;

    /// <summary>Whether a new configuration can keep this listener as it is.</summary>
    public bool Serves(ListenerConfig config) =>
        config.Name == Config.Name && config.Listen.Equals(Config.Listen) && config.Protocols.SequenceEqual(Config.Protocols);

    /// <summary>
    /// Binds <paramref name="workers"/> sockets; throws <see cref="SocketException"/> when the address is taken
    /// (by another process too: see <see cref="ListenerSocket.EnsureFree"/>). Accepting starts with <see cref="Start"/>.
    /// </summary>
    public void Open(int workers)
    {
        ListenerSocket.EnsureFree(Config.Listen);
        try
        {
            for (int i = 0; i < workers; i++)
            {
                // With port 0 the first socket picks the port; the others must share that one.
                IPEndPoint endPoint = i == 0 ? Config.Listen : new IPEndPoint(Config.Listen.Address, BoundEndPoint.Port);
                _acceptLoops.Add(new AcceptLoop(ListenerSocket.Open(endPoint), _server, _connectionLimit, Connections, () => Config.Protocols));
            }
        }
        catch
        {
            foreach (AcceptLoop loop in _acceptLoops) _ = loop.StopAsync();
            _acceptLoops.Clear();
            throw;
        }
    }

    public void Start()
    {
        foreach (AcceptLoop loop in _acceptLoops) loop.Start();
    }

    /// <summary>Stops accepting; with <paramref name="drain"/>, asks this listener's connections to finish and close.</summary>
    public async Task StopAsync(bool drain)
    {
        foreach (AcceptLoop loop in _acceptLoops) await loop.StopAsync().ConfigureAwait(false);
        if (drain) Connections.BeginDrainingAll();
    }

    public int Workers => _acceptLoops.Count;
}
