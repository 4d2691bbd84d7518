using System.Diagnostics;

namespace Proxy.Balancers;

/// <summary>
/// The live counters of one destination of one cluster: what balancers read to choose. It outlives routing
/// snapshots (a reload that keeps the destination keeps this object), so counters never reset on reload.
/// All members are thread-safe and lock-free.
/// </summary>
public sealed class DestinationState
{
    private int _activeRequests;
    private int _weight;
    private long _totalRequests;

    /// <summary>A destination known by <paramref name="address"/> with <paramref name="weight"/> (at least 1).</summary>
    public DestinationState(string address, int weight)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        Address = address;
        _weight = weight;
    }

    /// <summary>The destination's address as configured ("host:port"); its identity within a cluster.</summary>
    public string Address { get; }

    /// <summary>Relative share of traffic; may change on reload.</summary>
    public int Weight
    {
        get => Volatile.Read(ref _weight);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _weight, value);
        }
    }

    /// <summary>Requests sent to this destination that have not finished yet.</summary>
    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    /// <summary>Requests ever started on this destination.</summary>
    public long TotalRequests => Interlocked.Read(ref _totalRequests);

    /// <summary>Call when a request is sent to this destination; pair with <see cref="OnRequestEnd"/>.</summary>
    public void OnRequestStart()
    {
        Interlocked.Increment(ref _activeRequests);
        Interlocked.Increment(ref _totalRequests);
    }

    /// <summary>
    /// Call when a request started with <see cref="OnRequestStart"/> has finished, with the time it took
    /// (<see cref="Stopwatch"/> ticks from sending to the end of the response head).
    /// </summary>
    public void OnRequestEnd(long elapsedTicks)
    {
        _ = elapsedTicks;
        Interlocked.Decrement(ref _activeRequests);
    }

    /// <inheritdoc/>
    public override string ToString() => Address;
}
