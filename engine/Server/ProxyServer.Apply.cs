using Microsoft.Extensions.Logging;
using Proxy.Engine.Admin;
using Proxy.Engine.Config;
using Proxy.Engine.Listeners;
using Proxy.Engine.Routing;

namespace Proxy.Engine.Server;

public sealed partial class ProxyServer
{
    /// <summary>
    /// Switches the running proxy to <paramref name="next"/> without dropping a request, in an order that keeps
    /// every step undoable until the switch:
    /// 1. open what is new (listeners on new addresses, a moved admin listener); if anything cannot open, close
    ///    it again and refuse the reload — nothing has changed;
    /// 2. compile and publish the routing snapshot (one reference swap; requests in flight keep theirs; pools,
    ///    health and counters of destinations still configured carry over, removed ones close their idle
    ///    connections) and the new limits;
    /// 3. start accepting on the new listeners, then stop the removed ones, whose connections finish their current
    ///    request and close.
    /// Listeners are matched by address: a renamed listener or one with new protocols keeps its sockets.
    /// Returns null on success, or why the reload was refused.
    /// </summary>
    internal async Task<string?> ApplyAsync(ProxyConfig next)
    {
        ProxyConfig current = Config;
        List<Listener> running = Volatile.Read(ref _listeners);
        var kept = new List<Listener>();
        var opened = new List<Listener>();
        AdminServer? newAdmin = null;
        try
        {
            foreach (ListenerConfig config in next.Listeners)
            {
                Listener? existing = running.FirstOrDefault(l => l.Config.Listen.Equals(config.Listen));
                if (existing is not null)
                {
                    existing.Config = config;
                    kept.Add(existing);
                }
                else
                {
                    Listener listener = OpenListener(config, WorkersFor(current));
                    opened.Add(listener);
                    kept.Add(listener);
                }
            }
            if (next.Admin.Listen is { } adminEndPoint && !adminEndPoint.Equals(current.Admin.Listen))
            {
                newAdmin = OpenAdmin(adminEndPoint);
            }
        }
        catch (ProxyStartException ex)
        {
            foreach (Listener listener in opened) await listener.StopAsync(drain: false).ConfigureAwait(false);
            if (newAdmin is not null) await newAdmin.StopAsync().ConfigureAwait(false);
            return ex.Message;
        }

        RoutingSnapshot snapshot = _compiler.Compile(next);
        _context.PublishSnapshot(snapshot);
        _context.PublishTracing(next.Tracing);
        if (next.AccessLog != current.AccessLog) SwitchAccessLog(next);
        if (next.Limits != current.Limits)
        {
            _context.PublishLimits(new ClientLimits(next.Limits));
            _connectionLimit.Resize(next.Limits.MaxConnections);
        }
        WarnAboutRestartOnlySettings(current, next);
        Volatile.Write(ref _config, next);

        Volatile.Write(ref _listeners, kept);
        foreach (Listener listener in opened)
        {
            listener.Start();
            Log.Listening(_context.Logger, listener.Config.Name, listener.BoundEndPoint, listener.Workers);
        }
        foreach (Listener removed in running.Except(kept))
        {
            await removed.StopAsync(drain: true).ConfigureAwait(false);
            Log.ListenerRemoved(_context.Logger, removed.Config.Name, removed.BoundEndPoint, removed.Connections.Count);
        }
        await SwitchAdminAsync(current, next, newAdmin).ConfigureAwait(false);
        Log.ConfigLoaded(_context.Logger, next.SourcePath, next.Routes.Count, next.Clusters.Count, snapshot.Version);
        return null;
    }

    /// <summary>
    /// A changed [access_log]: new requests log to the new logger at once; the old one is disposed (its queue written)
    /// after requests that may still hold it are done — a few seconds is far longer than writing a line takes.
    /// </summary>
    private void SwitchAccessLog(ProxyConfig next)
    {
        AccessLog.AccessLogger? previous = _context.Observers.SwapAccessLog(
            AccessLog.AccessLogger.FromConfig(next.AccessLog, _context.Metrics.AccessLog));
        if (previous is not null) _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => previous.Dispose(), TaskScheduler.Default);
    }

    private async Task SwitchAdminAsync(ProxyConfig current, ProxyConfig next, AdminServer? newAdmin)
    {
        if (newAdmin is not null)
        {
            AdminServer? old = Volatile.Read(ref _admin);
            Volatile.Write(ref _admin, newAdmin);
            newAdmin.Start();
            Log.AdminListening(_context.Logger, newAdmin.LocalEndPoint);
            if (old is not null) await old.StopAsync().ConfigureAwait(false);
        }
        else if (next.Admin.Listen is null && current.Admin.Listen is not null && Volatile.Read(ref _admin) is { } running)
        {
            Volatile.Write(ref _admin, null);
            await running.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Settings whose change would mean closing listening sockets (closing one of an SO_REUSEPORT group resets
    /// the connections waiting in its queue) or re-creating live connections: taken at the next restart, and
    /// said so rather than silently ignored.
    /// </summary>
    private void WarnAboutRestartOnlySettings(ProxyConfig current, ProxyConfig next)
    {
        if (next.Server.Workers != current.Server.Workers)
        {
            Log.RestartNeeded(_context.Logger, "server.workers", current.Server.Workers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (next.Server.ReleaseIdleBuffers != current.Server.ReleaseIdleBuffers)
        {
            Log.RestartNeeded(_context.Logger, "server.release_idle_buffers", current.Server.ReleaseIdleBuffers ? "true" : "false");
        }
        if (next.Server.Transport != current.Server.Transport)
        {
            Log.RestartNeeded(_context.Logger, "server.transport", current.Server.Transport == SocketTransport.Epoll ? "epoll" : "sockets");
        }
    }
}
