namespace Proxy.Balancers;

/// <summary>
/// Builds the balancer of a cluster from its algorithm and options, and maps algorithms to and from their config
/// names. Thread-safe; allocates the balancer, so call it when a configuration is compiled, not per request.
/// </summary>
public static class BalancerFactory
{
    private static readonly (string Name, BalancingAlgorithm Algorithm)[] Names =
    [
        ("round_robin", BalancingAlgorithm.RoundRobin),
        ("weighted_round_robin", BalancingAlgorithm.WeightedRoundRobin),
        ("random", BalancingAlgorithm.Random),
        ("least_conn", BalancingAlgorithm.LeastRequests),
        ("p2c", BalancingAlgorithm.PowerOfTwoChoices),
        ("peak_ewma", BalancingAlgorithm.PeakEwma),
        ("consistent_hash", BalancingAlgorithm.ConsistentHash),
        ("sticky", BalancingAlgorithm.Sticky),
    ];

    /// <summary>
    /// A new balancer for <paramref name="algorithm"/> with <paramref name="options"/> (or the defaults). Each call
    /// returns a new instance with fresh rotation state; the counters it reads live in the destination states, so
    /// a balancer rebuilt on reload keeps seeing the in-flight requests and latencies of unchanged destinations.
    /// Throws <see cref="ArgumentException"/> for an invalid option (a fallback that needs a key, a table size that
    /// is not prime).
    /// </summary>
    public static IBalancer Create(BalancingAlgorithm algorithm, BalancerOptions? options = null)
    {
        options ??= BalancerOptions.Default;
        return algorithm switch
        {
            BalancingAlgorithm.RoundRobin => new RoundRobin(),
            BalancingAlgorithm.WeightedRoundRobin => new SmoothWeightedRoundRobin(),
            BalancingAlgorithm.Random => new WeightedRandom(options.Random),
            BalancingAlgorithm.LeastRequests => new LeastRequests(options.Random),
            BalancingAlgorithm.PowerOfTwoChoices => new PowerOfTwoChoices(options.Random),
            BalancingAlgorithm.PeakEwma => new PeakEwma(options.Random, options.TimeProvider, options.DefaultLatency),
            BalancingAlgorithm.ConsistentHash => new MaglevConsistentHash(CreateFallback(options), options.HashTableSize),
            BalancingAlgorithm.Sticky => new StickySession(CreateFallback(options)),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown balancing algorithm."),
        };
    }

    /// <summary>The algorithm whose config name is <paramref name="name"/> ("round_robin", "p2c", ...); case-sensitive.</summary>
    public static bool TryParse(string name, out BalancingAlgorithm algorithm)
    {
        foreach ((string known, BalancingAlgorithm value) in Names)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                algorithm = value;
                return true;
            }
        }
        algorithm = default;
        return false;
    }

    /// <summary>The config name of <paramref name="algorithm"/> ("round_robin", "p2c", ...).</summary>
    public static string GetName(BalancingAlgorithm algorithm)
    {
        foreach ((string name, BalancingAlgorithm value) in Names)
        {
            if (value == algorithm) return name;
        }
        throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown balancing algorithm.");
    }

    private static IBalancer CreateFallback(BalancerOptions options)
    {
        if (options.Fallback is BalancingAlgorithm.ConsistentHash or BalancingAlgorithm.Sticky)
        {
            throw new ArgumentException($"The fallback algorithm cannot be {GetName(options.Fallback)}: it needs a key.", nameof(options));
        }
        return Create(options.Fallback, options);
    }
}
