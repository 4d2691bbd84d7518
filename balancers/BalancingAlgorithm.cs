namespace Proxy.Balancers;

/// <summary>The balancing algorithms <see cref="BalancerFactory"/> builds; the comment names each one's config spelling.</summary>
public enum BalancingAlgorithm
{
    /// <summary>"round_robin": each destination in turn, ignoring weights (<see cref="RoundRobin"/>).</summary>
    RoundRobin,

    /// <summary>"weighted_round_robin": nginx's smooth weighted round robin (<see cref="SmoothWeightedRoundRobin"/>).</summary>
    WeightedRoundRobin,

    /// <summary>"random": weighted random (<see cref="WeightedRandom"/>).</summary>
    Random,

    /// <summary>"least_conn": fewest in-flight requests relative to weight (<see cref="LeastRequests"/>).</summary>
    LeastRequests,

    /// <summary>"p2c": power of two choices on in-flight requests (<see cref="PowerOfTwoChoices"/>).</summary>
    PowerOfTwoChoices,

    /// <summary>"peak_ewma": peak-EWMA latency × load, with two choices (<see cref="PeakEwma"/>).</summary>
    PeakEwma,

    /// <summary>"consistent_hash": Maglev on the request's hash key (<see cref="MaglevConsistentHash"/>).</summary>
    ConsistentHash,

    /// <summary>"sticky": the destination named by the session cookie (<see cref="StickySession"/>).</summary>
    Sticky,
}
