namespace Proxy.Engine.Config;

/// <summary>One <c>[[clusters]]</c> entry: a set of destinations and how to use them.</summary>
public sealed record ClusterConfig
{
    /// <summary><c>name</c>: unique, referenced by routes.</summary>
    public required string Name { get; init; }
    /// <summary><c>balancer</c>: how a destination is chosen.</summary>
    public BalancerKind Balancer { get; init; } = BalancerKind.RoundRobin;
    /// <summary><c>destinations</c>: the upstream servers (at least one).</summary>
    public IReadOnlyList<DestinationConfig> Destinations { get; init; } = [];
    /// <summary><c>[clusters.pool]</c></summary>
    public PoolConfig Pool { get; init; } = new();
    /// <summary><c>[clusters.timeouts]</c></summary>
    public ClusterTimeoutsConfig Timeouts { get; init; } = new();
}
