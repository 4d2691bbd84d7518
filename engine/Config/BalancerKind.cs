namespace Proxy.Engine.Config;

/// <summary>The <c>balancer</c> key of a cluster.</summary>
public enum BalancerKind
{
    /// <summary>"round_robin": each destination in turn.</summary>
    RoundRobin,
    /// <summary>"weighted_round_robin": nginx's smooth weighted round robin.</summary>
    WeightedRoundRobin,
    /// <summary>"random": weighted random.</summary>
    Random,
    /// <summary>"least_conn": fewest requests in flight relative to weight.</summary>
    LeastConn,
    /// <summary>"p2c": the less busy of two random picks.</summary>
    PowerOfTwoChoices,
    /// <summary>"peak_ewma": latency estimate × (in flight + 1), over two random picks.</summary>
    PeakEwma,
    /// <summary>"consistent_hash": the same <c>hash_key</c> goes to the same destination while it is available.</summary>
    ConsistentHash,
    /// <summary>"sticky": a cookie set by the proxy pins a client to a destination.</summary>
    Sticky,
}
