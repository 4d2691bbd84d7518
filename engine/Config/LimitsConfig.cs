namespace Proxy.Engine.Config;

/// <summary><c>[limits]</c>: what one client may ask of the proxy.</summary>
public sealed record LimitsConfig
{
    /// <summary><c>max_request_head</c>: bytes of request line plus headers (431, or 414 for the request line).</summary>
    public int MaxRequestHead { get; init; } = 16 * 1024;
    /// <summary><c>max_headers</c>: number of header fields (431).</summary>
    public int MaxHeaders { get; init; } = 100;
    /// <summary><c>max_request_body</c>: bytes of request body (413).</summary>
    public long MaxRequestBody { get; init; } = 10L * 1024 * 1024;
    /// <summary><c>client_header_timeout</c>: time to receive a whole request head (408).</summary>
    public TimeSpan ClientHeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary><c>client_idle_timeout</c>: time a keep-alive connection may wait for its next request.</summary>
    public TimeSpan ClientIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary><c>max_connections</c>: client connections per process.</summary>
    public int MaxConnections { get; init; } = 100_000;
    /// <summary><c>[limits.http2]</c>: HTTP/2 connections' streams, windows and flood defences.</summary>
    public Http2LimitsConfig Http2 { get; init; } = new();
}
