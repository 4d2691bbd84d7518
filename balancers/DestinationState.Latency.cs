namespace Proxy.Balancers;

// The peak-EWMA latency estimate, kept here rather than in a balancer so that it survives reloads.
//
// Stored: L (seconds; NaN until the first sample) and t0, the timestamp of the last sample (or of creation).
// A sample s at time t, with Δ = t − t0 and w = e^(−Δ/τ):
//     s ≥ L  →  L = s                       a slower sample replaces the estimate at once (peak)
//     s < L  →  L = L·w + s·(1 − w)         a faster one blends in, weighted by the time since the last
// Read at time t:
//     something in flight  →  L             samples are coming (or late, which L must not forget)
//     nothing in flight    →  L·e^(−Δ/τ)    an unused destination looks ever cheaper, so a once-slow one is
//                                           tried again instead of starving (traefik/traefik#12306); the
//                                           request that tries it makes it "in flight" and stops the decay,
//                                           so one probe goes out, not a herd.
public sealed partial class DestinationState
{
    private readonly TimeProvider _timeProvider;
    private readonly double _secondsPerTick;
    private readonly double _decayTicks;
    private long _latencyBits;
    private long _latencyTimestamp;

    /// <summary>τ, the time constant of the latency estimate (see <see cref="DestinationStateOptions.LatencyDecayTime"/>).</summary>
    public TimeSpan LatencyDecayTime { get; }

    /// <summary>Whether any request has finished yet, i.e. whether the latency estimate is measured rather than a default.</summary>
    public bool HasLatencySample => !double.IsNaN(BitConverter.Int64BitsToDouble(Volatile.Read(ref _latencyBits)));

    /// <summary>
    /// The peak-EWMA latency estimate in seconds as of <paramref name="timestamp"/> (this state's clock), or
    /// <paramref name="defaultSeconds"/> decayed from the creation time when nothing has finished yet. While no
    /// request is in flight the estimate decays toward zero with time constant <see cref="LatencyDecayTime"/>.
    /// Lock-free, allocation-free: three reads and at most one <see cref="Math.Exp"/>.
    /// </summary>
    public double GetLatencyEstimate(long timestamp, double defaultSeconds) =>
        GetLatencyEstimate(timestamp, defaultSeconds, ActiveRequests);

    /// <summary>
    /// The latency estimate in seconds now, by this state's own clock, as peak-EWMA would read it; NaN before the first
    /// request has finished. For reporting (the admin API); balancers use <see cref="GetLatencyEstimate(long, double)"/>.
    /// </summary>
    public double CurrentLatencyEstimate => GetLatencyEstimate(_timeProvider.GetTimestamp(), double.NaN);

    internal double GetLatencyEstimate(long timestamp, double defaultSeconds, int activeRequests)
    {
        double estimate = BitConverter.Int64BitsToDouble(Volatile.Read(ref _latencyBits));
        if (double.IsNaN(estimate)) estimate = defaultSeconds;
        if (activeRequests > 0) return estimate;
        long idle = timestamp - Volatile.Read(ref _latencyTimestamp);
        return idle <= 0 ? estimate : estimate * Math.Exp(-idle / _decayTicks);
    }

    private void RecordLatency(long elapsedTicks, long now)
    {
        double sample = Math.Max(0, elapsedTicks) * _secondsPerTick;
        while (true)
        {
            long bits = Volatile.Read(ref _latencyBits);
            // L and t0 are two fields, not one atomic pair: a reader or a competing writer can see the new L with
            // the old t0 for the few nanoseconds until t0 is advanced below. That can only over-decay one read or
            // over-weight one concurrent sample slightly; it never loses a peak.
            long stamp = Volatile.Read(ref _latencyTimestamp);
            double estimate = BitConverter.Int64BitsToDouble(bits);
            double next;
            if (double.IsNaN(estimate) || sample >= estimate)
            {
                next = sample;
            }
            else
            {
                double weight = Math.Exp(-Math.Max(0, now - stamp) / _decayTicks);
                next = (estimate * weight) + (sample * (1 - weight));
            }
            if (Interlocked.CompareExchange(ref _latencyBits, BitConverter.DoubleToInt64Bits(next), bits) == bits) break;
        }

        // t0 only moves forward, whichever of two concurrent writers stores last.
        long seen = Volatile.Read(ref _latencyTimestamp);
        while (now > seen)
        {
            long prior = Interlocked.CompareExchange(ref _latencyTimestamp, now, seen);
            if (prior == seen) break;
            seen = prior;
        }
    }
}
