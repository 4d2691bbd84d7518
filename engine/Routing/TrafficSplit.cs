using Proxy.Balancers;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Routing;

/// <summary>
/// A route's <c>split</c>: its clusters and their weights as cumulative bounds, so a point in [0, total weight)
/// lands on one cluster by a short scan. With a <c>split_key</c> the point comes from a stable hash of the key, so
/// one client stays on one side (as long as the weights stay); without one, or when the request lacks the key, from
/// a random number. Immutable, thread-safe, allocation-free.
/// </summary>
internal sealed class TrafficSplit
{
    private readonly Cluster[] _clusters;
    private readonly int[] _upperBounds;    // cumulative weights: cluster i takes points below _upperBounds[i]

    public TrafficSplit(Cluster[] clusters, int[] weights, RequestKey? key)
    {
        if (clusters.Length == 0 || clusters.Length != weights.Length) throw new ArgumentException("One weight per cluster, at least one cluster.", nameof(weights));
        _clusters = clusters;
        _upperBounds = new int[weights.Length];
        int total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0) throw new ArgumentOutOfRangeException(nameof(weights), "Weights must be positive.");
            total = checked(total + weights[i]);
            _upperBounds[i] = total;
        }
        TotalWeight = total;
        Key = key;
    }

    public ReadOnlySpan<Cluster> Clusters => _clusters;

    public int TotalWeight { get; }

    /// <summary>The <c>split_key</c>, or null.</summary>
    public RequestKey? Key { get; }

    /// <summary>The index of the cluster that takes <paramref name="point"/>, in [0, <see cref="TotalWeight"/>).</summary>
    public int IndexAt(int point)
    {
        int i = 0;
        while (point >= _upperBounds[i]) i++;
        return i;
    }

    /// <summary>The cluster index for a key: the same key, the same index, in every process.</summary>
    public int IndexForKey(ReadOnlySpan<byte> key) => IndexAt(StableKeyHash.PointIn(key, TotalWeight));

    /// <summary>The cluster index for one random draw.</summary>
    public int IndexForRandom(IRandomSource random) => IndexAt(random.NextInt32(TotalWeight));

    /// <summary>The cluster for <paramref name="request"/>: by its key when the split has one and the request carries it, else at random.</summary>
    public Cluster Choose(RequestHead request, ReadOnlySpan<byte> clientAddress, IRandomSource random)
    {
        if (Key is not null && Key.TryGet(request, clientAddress, out ReadOnlySpan<byte> key)) return _clusters[IndexForKey(key)];
        return _clusters[IndexForRandom(random)];
    }
}
