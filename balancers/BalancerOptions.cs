namespace Proxy.Balancers;

/// <summary>
/// What <see cref="BalancerFactory"/> passes to the balancers: injected randomness and time, and each algorithm's
/// tunables (an algorithm ignores what it does not use). A plain immutable record.
/// </summary>
public sealed record BalancerOptions
{
    /// <summary>The defaults, as documented on each property.</summary>
    public static BalancerOptions Default { get; } = new();

    /// <summary>Source of randomness for random, least_conn (ties), p2c and peak_ewma. Default <see cref="SharedRandomSource.Instance"/>.</summary>
    public IRandomSource Random { get; init; } = SharedRandomSource.Instance;

    /// <summary>
    /// The clock peak_ewma reads; must be the clock of the cluster's destination states
    /// (<see cref="DestinationStateOptions.TimeProvider"/>). Default: the system clock.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>peak_ewma: the latency assumed for a destination that has not answered yet. Default 30 ms.</summary>
    public TimeSpan DefaultLatency { get; init; } = TimeSpan.FromMilliseconds(30);

    /// <summary>
    /// consistent_hash: the Maglev table size, a prime at least 100 times the number of destinations for balance
    /// within about 1%. Default <see cref="MaglevConsistentHash.DefaultTableSize"/> (65537).
    /// </summary>
    public int HashTableSize { get; init; } = MaglevConsistentHash.DefaultTableSize;

    /// <summary>
    /// consistent_hash and sticky: the algorithm for requests without a key, and for new or re-pinned sessions.
    /// Must not itself need a key. Default <see cref="BalancingAlgorithm.RoundRobin"/>.
    /// </summary>
    public BalancingAlgorithm Fallback { get; init; } = BalancingAlgorithm.RoundRobin;
}
