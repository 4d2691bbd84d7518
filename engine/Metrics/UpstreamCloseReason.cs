namespace Proxy.Engine.Metrics;

/// <summary>Why an upstream connection was closed, for <c>proxy_upstream_connections_closed_total{reason}</c>.</summary>
internal enum UpstreamCloseReason : byte
{
    /// <summary>The pool does not say (until it reports reasons: see <see cref="ProxyMetrics.CloseReasonsReported"/>).</summary>
    Unspecified = 0,
    /// <summary>Idle longer than the pool's <c>idle_timeout</c>.</summary>
    IdleTimeout,
    /// <summary>The exchange left it unusable for another request (Connection: close, close-delimited body, unread body).</summary>
    NotReusable,
    /// <summary>Reusable, but the pool already held <c>max_idle</c> idle connections.</summary>
    PoolFull,
    /// <summary>Found closed or unusable when taken from the idle pool.</summary>
    Stale,
    /// <summary>An I/O failure, a timeout or an abort mid-exchange.</summary>
    Error,
    /// <summary>The pool was retired (reload without the destination, or shutdown).</summary>
    Shutdown,
}
