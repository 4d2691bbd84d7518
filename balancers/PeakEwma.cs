namespace Proxy.Balancers;

/// <summary>
/// Peak-EWMA with power of two choices ("peak_ewma", as in Finagle and Linkerd): two distinct destinations drawn
/// uniformly, and the one with the lower cost used, where cost = latency estimate × (ActiveRequests + 1) / Weight.
/// The estimate is <see cref="DestinationState.GetLatencyEstimate(long, double)"/>: a slower response replaces it
/// at once, faster ones blend in over <see cref="DestinationStateOptions.LatencyDecayTime"/>, and it decays while
/// a destination is unused so a once-slow destination is tried again. A destination that has never answered
/// counts as <see cref="BalancerOptions.DefaultLatency"/>. A tie goes to the first draw.
/// O(1): one clock read (none when <see cref="PickContext.Timestamp"/> is supplied), one random number, two estimates (at most two <see cref="Math.Exp"/>); lock-free,
/// allocation-free; thread-safe as far as the injected random source and clock are.
/// </summary>
public sealed class PeakEwma : IBalancer
{
    private readonly IRandomSource _random;
    private readonly TimeProvider _timeProvider;
    private readonly double _defaultLatencySeconds;

    /// <summary>
    /// A balancer drawing from <paramref name="random"/>, reading <paramref name="timeProvider"/> (the clock of
    /// the destination states), and assuming <paramref name="defaultLatency"/> for destinations never measured.
    /// </summary>
    public PeakEwma(IRandomSource random, TimeProvider timeProvider, TimeSpan defaultLatency)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(defaultLatency, TimeSpan.Zero);
        _random = random;
        _timeProvider = timeProvider;
        _defaultLatencySeconds = defaultLatency.TotalSeconds;
    }

    /// <inheritdoc/>
    public int Pick(ReadOnlySpan<DestinationState> available, in PickContext context)
    {
        if (available.Length < 2) return available.Length - 1;
        (int a, int b) = PowerOfTwoChoices.DrawTwo(_random, available.Length);
        long now = context.Timestamp != 0 ? context.Timestamp : _timeProvider.GetTimestamp();
        DestinationState first = available[a];
        DestinationState second = available[b];
        // Unsynchronised reads: a count or estimate that moves meanwhile can only make this pick slightly worse.
        int firstActive = first.ActiveRequests;
        int secondActive = second.ActiveRequests;
        double firstCost = first.GetLatencyEstimate(now, _defaultLatencySeconds, firstActive) * (firstActive + 1) * second.Weight;
        double secondCost = second.GetLatencyEstimate(now, _defaultLatencySeconds, secondActive) * (secondActive + 1) * first.Weight;
        return firstCost <= secondCost ? a : b;
    }
}
