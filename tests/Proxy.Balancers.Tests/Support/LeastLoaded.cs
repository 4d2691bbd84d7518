namespace Proxy.Balancers.Tests.Support;

/// <summary>The exact answer least_conn must give, computed the slow, obvious way.</summary>
internal static class LeastLoaded
{
    /// <summary>The indices in <paramref name="available"/> whose ActiveRequests / Weight is smallest.</summary>
    public static HashSet<int> Of(ReadOnlySpan<DestinationState> available)
    {
        var least = new HashSet<int>();
        long bestActive = 0, bestWeight = 0;
        for (int i = 0; i < available.Length; i++)
        {
            long active = available[i].ActiveRequests;
            long weight = available[i].Weight;
            long difference = least.Count == 0 ? -1 : (active * bestWeight) - (bestActive * weight);
            if (difference > 0) continue;
            if (difference < 0)
            {
                least.Clear();
                bestActive = active;
                bestWeight = weight;
            }
            least.Add(i);
        }
        return least;
    }

    /// <summary>The least common multiple of the weights: a table's key is ActiveRequests × (this / Weight).</summary>
    public static long WeightMultiple(ReadOnlySpan<DestinationState> available)
    {
        long multiple = 1;
        foreach (DestinationState destination in available) multiple = multiple / Gcd(multiple, destination.Weight) * destination.Weight;
        return multiple;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
