namespace Proxy.Balancers;

/// <summary>
/// Chooses one destination of a cluster for a request. One instance per cluster, shared by every thread:
/// Pick must be lock-free and allocate nothing.
/// </summary>
public interface IBalancer
{
    /// <summary>
    /// The index in <paramref name="available"/> of the destination to use, or -1 when it is empty (the caller
    /// answers 503). <paramref name="available"/> holds only destinations that may take traffic now; the caller
    /// decides which, and a destination not in it is never chosen. Thread-safe, lock-free, allocation-free.
    /// </summary>
    int Pick(ReadOnlySpan<DestinationState> available, in PickContext context);

    /// <summary>
    /// Builds whatever the balancer derives from <paramref name="available"/> (a sequence, a hash table) now,
    /// so that the first Pick with this set does not. Call it when a new available array is published, off the
    /// request path; Pick is correct without it. Thread-safe. Does nothing for balancers that derive nothing.
    /// </summary>
    void Prepare(ReadOnlySpan<DestinationState> available)
    {
    }
}
