namespace Proxy.Engine.Config;

/// <summary><c>[clusters.pool]</c>: upstream connections, per destination.</summary>
public sealed record PoolConfig
{
    /// <summary><c>max_idle</c>: idle keep-alive connections kept.</summary>
    public int MaxIdle { get; init; } = 64;
    /// <summary><c>max_connections</c>: open connections at most; over it a request waits up to <see cref="ConnectTimeout"/>, then 503.</summary>
    public int MaxConnections { get; init; } = 1024;
    /// <summary><c>idle_timeout</c>: an idle connection unused this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(90);
    /// <summary><c>connect_timeout</c>: time allowed to open a connection (502 past it).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
