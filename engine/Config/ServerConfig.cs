namespace Proxy.Engine.Config;

/// <summary><c>[server]</c>: process-wide settings.</summary>
public sealed record ServerConfig
{
    /// <summary><c>workers</c>: listener sockets per address (SO_REUSEPORT); 0 means one per core.</summary>
    public int Workers { get; init; }
    /// <summary><c>shutdown_timeout</c>: how long in-flight requests may take to finish after SIGTERM.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
