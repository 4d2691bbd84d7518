namespace Proxy.Engine.Config;

/// <summary>The <c>balancer</c> key of a cluster.</summary>
public enum BalancerKind
{
    /// <summary>"round_robin": each destination in turn.</summary>
    RoundRobin,
}
