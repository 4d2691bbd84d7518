namespace Proxy.Engine.Config;

/// <summary><c>[server]</c>: process-wide settings.</summary>
public sealed record ServerConfig
{
    /// <summary><c>workers</c>: listener sockets per address (SO_REUSEPORT); 0 means one per core.</summary>
    public int Workers { get; init; }
    /// <summary><c>shutdown_timeout</c>: how long in-flight requests may take to finish after SIGTERM.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// <c>release_idle_buffers</c>: an idle keep-alive client connection waits for data without holding a receive
    /// buffer (about 4 KiB less per idle connection), at the price of two more system calls per request
    /// (measured ~5 µs of CPU per request; perf/RESULTS.md). Off by default: CPU first. For the "sockets" transport
    /// only: the epoll transport asks for a receive buffer only when the socket is reported readable, and the pipe gives
    /// it back once its bytes are consumed (a readiness that finds nothing, which is rare, leaves one held until the
    /// next bytes).
    /// </summary>
    public bool ReleaseIdleBuffers { get; init; }
    /// <summary>
    /// <c>transport</c>: <c>"epoll"</c> (Linux, the default there) or <c>"sockets"</c> (System.Net.Sockets, any
    /// platform). Measured: epoll saves a receive system call per message and the layers between (perf/RESULTS.md).
    /// </summary>
    public SocketTransport Transport { get; init; } = OperatingSystem.IsLinux() ? SocketTransport.Epoll : SocketTransport.Sockets;
}
