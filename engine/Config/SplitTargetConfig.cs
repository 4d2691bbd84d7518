namespace Proxy.Engine.Config;

/// <summary>One entry of a route's <c>split</c>: <c>{ cluster = "api-canary", weight = 5 }</c>.</summary>
public sealed record SplitTargetConfig
{
    /// <summary><c>cluster</c>: a defined cluster.</summary>
    public required string Cluster { get; init; }
    /// <summary><c>weight</c>: this cluster's share is its weight over the sum of the split's weights.</summary>
    public int Weight { get; init; } = 1;
}
