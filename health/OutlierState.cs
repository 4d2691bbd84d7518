namespace Proxy.Health;

/// <summary>
/// One destination's outlier-detection state, made by <see cref="PassiveOutlierDetector.Add"/>: its run of failures,
/// whether it is ejected, and its ejection multiplier. <see cref="Record"/> is the request path: lock-free and
/// allocation-free. Everything else changes under the detector's transition lock.
/// </summary>
public sealed class OutlierState
{
    private int _consecutiveFailures;
    private volatile bool _ejected;
    private ITimer? _timer;

    internal OutlierState(PassiveOutlierDetector detector, string destination)
    {
        Detector = detector;
        Destination = destination;
    }

    /// <summary>The destination's key.</summary>
    public string Destination { get; }

    /// <summary>Whether the destination is ejected now.</summary>
    public bool IsEjected => _ejected;

    /// <summary>Failures in a row since the last success (or since it came back); for diagnostics.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>The multiplier of the latest ejection (0 before the first); see <see cref="PassiveOutlierDetector"/>.</summary>
    public int EjectionMultiplier => Multiplier;

    internal PassiveOutlierDetector Detector { get; }

    internal bool Removed { get; set; }

    internal int Multiplier { get; private set; }

    internal long EjectedUntil { get; private set; }

    internal long RestoredAt { get; private set; }

    /// <summary>
    /// Counts one outcome of traffic to this destination. A success ends the run of failures; a failure
    /// (<see cref="RequestOutcomes.IsFailure"/>) extends it, and the one that reaches <c>consecutive_failures</c> asks
    /// for an ejection. <see cref="RequestOutcome.Cancelled"/> counts for nothing, and so does anything reported while
    /// the destination is ejected (requests that were already in flight). Lock-free and allocation-free.
    /// </summary>
    public void Record(RequestOutcome outcome)
    {
        if (outcome == RequestOutcome.Cancelled) return;
        if (!RequestOutcomes.IsFailure(outcome))
        {
            // Read before write: a healthy destination's counter stays 0, and its cache line stays shared across cores.
            if (Volatile.Read(ref _consecutiveFailures) != 0) Volatile.Write(ref _consecutiveFailures, 0);
            return;
        }

        if (_ejected) return;
        // Exactly one thread sees the count reach the threshold, so one ejection is attempted per run of failures.
        if (Interlocked.Increment(ref _consecutiveFailures) == Detector.ConsecutiveFailureThreshold) Detector.TryEject(this);
    }

    internal void ResetFailures() => Volatile.Write(ref _consecutiveFailures, 0);

    internal void Eject(int multiplier, long until)
    {
        Multiplier = multiplier;
        EjectedUntil = until;
        _ejected = true;
    }

    internal void Restore(long now)
    {
        RestoredAt = now;
        Volatile.Write(ref _consecutiveFailures, 0);
        _ejected = false;
    }

    internal void StartTimer(TimeProvider time, TimeSpan dueIn)
    {
        _timer ??= time.CreateTimer(static state => ((OutlierState)state!).Detector.OnEjectionElapsed((OutlierState)state!), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(dueIn, Timeout.InfiniteTimeSpan);
    }

    internal void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
