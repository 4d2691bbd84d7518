using Proxy.Health;

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
    /// <summary><c>hash_key</c>: what consistent_hash hashes, or the cookie sticky sessions use; null when not given.</summary>
    public HashKeySource? HashKey { get; init; }
    /// <summary>
    /// <c>[clusters.health]</c> (active probes, passive outlier detection, panic mode) and
    /// <c>[clusters.circuit_breaker]</c>, as the health library takes them. Absent sections are off.
    /// </summary>
    public ClusterHealthOptions Health { get; init; } = new();
    /// <summary>
    /// <c>[clusters.retry]</c>. When the section is absent, a request is retried once, on another destination, only
    /// when connecting failed — the upstream cannot have seen it (nginx's proxy_next_upstream default does the same).
    /// </summary>
    public RetryOptions Retry { get; init; } = DefaultRetry;

    /// <summary>The retry policy of a cluster without a [clusters.retry] section.</summary>
    public static RetryOptions DefaultRetry { get; } = new() { Attempts = 1, On = RetryConditions.Parse(["connect_failure"]) };
}
