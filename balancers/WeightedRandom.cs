namespace Proxy.Balancers;

/// <summary>
/// A random destination, each with probability weight / sum of weights ("random"). Uniform sets cost one random
/// number; weighted sets draw from an <see cref="AliasTable"/> (Vose's alias method in integers, built once per
/// available set, O(N)), so a pick is O(1): one random number, a multiplication where a division would be, and a
/// comparison or two; exact proportions, no search. Lock-free, allocation-free; thread-safe as far as the injected
/// <see cref="IRandomSource"/> is.
/// </summary>
public sealed class WeightedRandom : IBalancer
{
    private readonly IRandomSource _random;
    private readonly AvailableSetCache<WeightedSet> _sets = new(WeightedSet.Build);

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
        AliasTable? alias = _sets.Get(available).Alias;
        return alias is null ? _random.NextInt32(available.Length) : alias.Draw(_random);
    }

    /// <inheritdoc/>
    public void Prepare(ReadOnlySpan<DestinationState> available)
    {
        if (available.Length >= 2) _sets.Get(available);
    }

    /// <summary>What a pick needs of an available set: its alias table, or none when all weights are equal.</summary>
    private sealed record WeightedSet(AliasTable? Alias)
    {
        public static WeightedSet Build(DestinationState[] members)
        {
            int[] weights = [.. members.Select(member => member.Weight)];
            return new WeightedSet(weights.All(weight => weight == weights[0]) ? null : new AliasTable(weights));
        }
    }
}
