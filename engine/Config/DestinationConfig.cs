namespace Proxy.Engine.Config;

/// <summary>One destination of a cluster: <c>{ address = "host:port", weight = 1 }</c>.</summary>
public sealed record DestinationConfig
{
    /// <summary>As written, "host:port": the destination's identity within its cluster.</summary>
    public required string Address { get; init; }
    /// <summary>The host part: an IP literal or a DNS name.</summary>
    public required string Host { get; init; }
    /// <summary>The port part.</summary>
    public required int Port { get; init; }
    /// <summary><c>weight</c>: relative share of traffic, at least 1.</summary>
    public int Weight { get; init; } = 1;
}
