namespace Proxy.Balancers;

/// <summary>
/// Power of two choices on in-flight requests ("p2c"): two distinct destinations drawn uniformly, the less loaded
/// one used. Load is (ActiveRequests + 1) / Weight — the share of its capacity each would carry with this request,
/// IPVS's "shortest expected delay" — so with equal weights the one with fewer in-flight requests always wins and
/// a tie goes to the first draw. Weights bias the comparison, not the draw. O(1): one random number and two pairs
/// of counter reads; lock-free, allocation-free; thread-safe as far as the injected <see cref="IRandomSource"/> is.
/// </summary>
public sealed class PowerOfTwoChoices : IBalancer
{
    private readonly IRandomSource _random;

    /// <summary>A balancer drawing from <paramref name="random"/>.</summary>
    public PowerOfTwoChoices(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <inheritdoc/>
    public int Pick(ReadOnlySpan<DestinationState> available, in PickContext context)
    {
        if (available.Length < 2) return available.Length - 1;
        (int a, int b) = DrawTwo(_random, available.Length);
        DestinationState first = available[a];
        DestinationState second = available[b];
        // Unsynchronised reads: a count that moves meanwhile can only make this pick slightly worse, never wrong.
        long firstLoad = (first.ActiveRequests + 1L) * second.Weight;
        long secondLoad = (second.ActiveRequests + 1L) * first.Weight;
        return firstLoad <= secondLoad ? a : b;
    }

    /// <summary>
    /// Two distinct indices below <paramref name="count"/> (at least 2), every ordered pair equally likely, from one
    /// random number (a division is cheaper than a second draw; two draws above 46,340 destinations): no retry loop.
    /// </summary>
    internal static (int First, int Second) DrawTwo(IRandomSource random, int count)
    {
        int a;
        int b;
        if (count <= 46_340)
        {
            int pair = random.NextInt32(count * (count - 1));
            a = pair / (count - 1);
            b = pair - (a * (count - 1));
        }
        else
        {
            a = random.NextInt32(count);
            b = random.NextInt32(count - 1);
        }
        // b ranges over the count - 1 indices other than a.
        if (b >= a) b++;
        return (a, b);
    }
}
