namespace Proxy.Balancers;

/// <summary>
/// Chooses one destination of a cluster for a request. One instance per cluster, shared by every thread:
/// Pick must be lock-free and allocate nothing.
/// </summary>
public interface IBalancer
{
    /// <summary>
    /// The index in <paramref name="available"/> of the destination to use, or -1 when it is empty.
    /// <paramref name="available"/> holds only destinations that may take traffic now; the caller decides which.
    /// </summary>
    int Pick(ReadOnlySpan<DestinationState> available, in PickContext context);
}
