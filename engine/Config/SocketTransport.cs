namespace Proxy.Engine.Config;

/// <summary><c>server.transport</c>: how client and upstream sockets are served.</summary>
public enum SocketTransport
{
    /// <summary>
    /// <c>"epoll"</c>: the proxy's own event loops (engine/Sockets), one per core, tracking each socket's readiness as
    /// nginx does. Linux only; the default there.
    /// </summary>
    Epoll,

    /// <summary>
    /// <c>"sockets"</c>: System.Net.Sockets through Pipelines.Sockets.Unofficial, on the runtime's own event thread.
    /// Portable; the default elsewhere.
    /// </summary>
    Sockets,
}
