using System.Buffers;
using System.Runtime.CompilerServices;

namespace Proxy.Balancers;

/// <summary>
/// The destination with the fewest in-flight requests relative to its weight ("least_conn"; nginx's weighted
/// least connections): the smallest ActiveRequests / Weight, compared by cross-multiplication. Ties are broken at
/// random in proportion to weight — uniformly would ignore weights whenever the cluster is idle, which is when
/// most destinations tie at zero. Scans every destination: O(N) reads of counters other threads are writing,
/// so it costs one to two nanoseconds per destination (over 500 ns at 256); prefer <see cref="PowerOfTwoChoices"/> for large clusters.
/// Lock-free, allocation-free (ties are collected on the stack, or in a pooled array above
/// <see cref="StackTieLimit"/> destinations); thread-safe as far as the injected <see cref="IRandomSource"/> is.
/// </summary>
public sealed class LeastRequests : IBalancer
{
    /// <summary>Clusters up to this many destinations collect ties on the stack.</summary>
    public const int StackTieLimit = 512;

    private readonly IRandomSource _random;

    /// <summary>A balancer breaking ties with <paramref name="random"/>.</summary>
    public LeastRequests(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <inheritdoc/>
    [SkipLocalsInit]
    public int Pick(ReadOnlySpan<DestinationState> available, in PickContext context)
    {
        if (available.Length < 2) return available.Length - 1;
        if (available.Length <= StackTieLimit) return PickAmong(available, stackalloc int[available.Length]);

        int[] rented = ArrayPool<int>.Shared.Rent(available.Length);
        try
        {
            return PickAmong(available, rented);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    private int PickAmong(ReadOnlySpan<DestinationState> available, Span<int> ties)
    {
        // Unsynchronised reads: counters move while we scan, so the minimum is of a slightly blurred snapshot;
        // that can only make a pick slightly worse, never invalid.
        long bestActive = available[0].ActiveRequests;
        long bestWeight = available[0].Weight;
        long tiedWeight = bestWeight;
        int tieCount = 1;
        ties[0] = 0;
        for (int i = 1; i < available.Length; i++)
        {
            DestinationState destination = available[i];
            long active = destination.ActiveRequests;
            long weight = destination.Weight;
            // Compares active / weight with bestActive / bestWeight without dividing (both products < 2^62).
            long difference = (active * bestWeight) - (bestActive * weight);
            if (difference > 0) continue;
            if (difference < 0)
            {
                bestActive = active;
                bestWeight = weight;
                tieCount = 0;
                tiedWeight = 0;
            }
            ties[tieCount++] = i;
            tiedWeight += weight;
        }
        if (tieCount == 1) return ties[0];

        long target = _random.NextInt64(tiedWeight);
        for (int t = 0; t < tieCount - 1; t++)
        {
            // Weights can change between the scan and here; the last tie absorbs any difference.
            target -= available[ties[t]].Weight;
            if (target < 0) return ties[t];
        }
        return ties[tieCount - 1];
    }
}
