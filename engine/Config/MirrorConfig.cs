namespace Proxy.Engine.Config;

/// <summary>A route's <c>mirror = { cluster = "shadow", percent = 10, max_body = "64KiB" }</c>.</summary>
public sealed record MirrorConfig
{
    /// <summary><c>cluster</c>: where copies go; their responses are read and dropped.</summary>
    public required string Cluster { get; init; }
    /// <summary><c>percent</c>: the share of the route's requests copied, above 0 and at most 100.</summary>
    public double Percent { get; init; } = 100;
    /// <summary><c>max_body</c>: requests with a larger body (or a chunked one that grows past it) are not copied.</summary>
    public long MaxBody { get; init; } = 64 * 1024;
}
