namespace Proxy.Balancers;

/// <summary>
/// Each destination in turn, ignoring weights ("round_robin"). Lock-free, allocation-free: one interlocked
/// increment per pick. A change of the available set continues the rotation from wherever the counter is.
/// </summary>
public sealed class RoundRobin : IBalancer
{
    private uint _next = uint.MaxValue;

    /// <inheritdoc/>
    public int Pick(ReadOnlySpan<DestinationState> available, in PickContext context)
    {
        if (available.Length < 2) return available.Length - 1;
        // uint wraps around silently; the remainder keeps the sequence fair across the wrap to within one pick.
        uint ticket = Interlocked.Increment(ref _next);
        return (int)(ticket % (uint)available.Length);
    }
}
