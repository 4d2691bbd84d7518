namespace Proxy.Balancers;

/// <summary>
/// A random destination, each with probability weight / sum of weights ("random"). Uniform sets cost one random
/// number; weighted sets use Vose's alias method in integers (built once per available set, O(N)), so a pick is
/// O(1): one random number, one division and one comparison, exact proportions, no search. Lock-free, allocation-free;
/// thread-safe as far as the injected <see cref="IRandomSource"/> is.
/// </summary>
public sealed class WeightedRandom : IBalancer
{
    private readonly IRandomSource _random;
    private readonly AvailableSetCache<AliasTable> _tables = new(AliasTable.Build);

    /// <summary>A balancer drawing from <paramref name="random"/>.</summary>
    public WeightedRandom(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <inheritdoc/>
    public int Pick(ReadOnlySpan<DestinationState> available, in PickContext context)
    {
        if (available.Length < 2) return available.Length - 1;
        AliasTable table = _tables.Get(available);
        if (table.Thresholds is not { } thresholds) return _random.NextInt32(available.Length);

        // One draw over all N × W cells: a division is cheaper than a second random number. (N × W overflows a
        // long only past tens of thousands of destinations at weights near int.MaxValue; the build then throws.)
        long total = table.TotalWeight;
        long cell = _random.NextInt64(table.CellCount);
        int column = (int)(cell / total);
        long height = cell - (column * total);
        return height < thresholds[column] ? column : table.Aliases[column];
    }

    /// <inheritdoc/>
    public void Prepare(ReadOnlySpan<DestinationState> available)
    {
        if (available.Length >= 2) _tables.Get(available);
    }

    /// <summary>
    /// N columns of height W (the total weight), column c holding c itself up to Thresholds[c] and Aliases[c]
    /// above it; destination i covers weight(i) × N of the N × W cells in all. Null arrays when all weights are equal.
    /// </summary>
    private sealed record AliasTable(long[]? Thresholds, int[] Aliases, long TotalWeight)
    {
        public long CellCount { get; } = checked(Aliases.Length * TotalWeight);

        public static AliasTable Build(DestinationState[] members)
        {
            int count = members.Length;
            long[] scaled = new long[count];
            long total = 0;
            bool uniform = true;
            for (int i = 0; i < count; i++)
            {
                int weight = members[i].Weight;
                uniform &= weight == members[0].Weight;
                scaled[i] = (long)weight * count;
                total += weight;
            }
            if (uniform) return new AliasTable(null, [], total);

            long[] thresholds = new long[count];
            int[] aliases = new int[count];
            var small = new Stack<int>();
            var large = new Stack<int>();
            for (int i = 0; i < count; i++) (scaled[i] < total ? small : large).Push(i);
            while (small.Count > 0 && large.Count > 0)
            {
                int under = small.Pop();
                int over = large.Pop();
                thresholds[under] = scaled[under];
                aliases[under] = over;
                scaled[over] -= total - scaled[under];
                (scaled[over] < total ? small : large).Push(over);
            }
            // Integer arithmetic leaves nothing over: whatever remains fills its own column exactly.
            foreach (int i in small.Concat(large))
            {
                thresholds[i] = total;
                aliases[i] = i;
            }
            return new AliasTable(thresholds, aliases, total);
        }
    }
}
