namespace Proxy.Engine.Config;

/// <summary><c>[clusters.timeouts]</c>.</summary>
public sealed record ClusterTimeoutsConfig
{
    /// <summary><c>response_header</c>: the upstream has not finished its response head this long after the request was sent: 504.</summary>
    public TimeSpan ResponseHeader { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary><c>idle</c>: no bytes either way this long in the middle of a body: the exchange is abandoned.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(60);
}
