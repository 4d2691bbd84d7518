using System.Net;
using Proxy.Balancers;
using Proxy.Engine.Upstreams;

namespace Proxy.Engine.Routing;

/// <summary>
/// One upstream server of one cluster, as the engine uses it: where it is, its live counters, its connection
/// pool. Outlives routing snapshots: a reload that keeps the destination keeps this object.
/// </summary>
internal sealed class Destination
{
    public Destination(string clusterName, string address, EndPoint endPoint, DestinationState state, UpstreamPool pool)
    {
        ClusterName = clusterName;
        Address = address;
        EndPoint = endPoint;
        State = state;
        Pool = pool;
    }

    public string ClusterName { get; }
    public string Address { get; }
    public EndPoint EndPoint { get; }
    public DestinationState State { get; }
    public UpstreamPool Pool { get; }

    /// <summary>This destination's metrics; attached when a snapshot holding it is published.</summary>
    public Metrics.DestinationMetrics? Metrics { get; set; }

    /// <summary>Where the pool is registered with the heartbeat (for its idle timeout).</summary>
    public int HeartbeatSlot { get; set; } = -1;

    public override string ToString() => $"{ClusterName}/{Address}";
}
