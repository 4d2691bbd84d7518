namespace Proxy.Engine.Upstreams;

/// <summary>Why <see cref="UpstreamPool.AcquireAsync"/> gave no connection, or that it gave one.</summary>
internal enum AcquireStatus : byte
{
    Acquired,
    /// <summary>The destination refused or did not answer the connect in time: 502.</summary>
    ConnectFailed,
    /// <summary>connect_timeout passed while opening: 502, like any destination that cannot be reached.</summary>
    ConnectTimeout,
    /// <summary>max_connections in use and none freed within connect_timeout: 503.</summary>
    PoolExhausted,
}
