namespace Proxy.Health;

/// <summary>
/// Outlier detection for one cluster, from live traffic: a destination whose last
/// <see cref="PassiveHealthOptions.ConsecutiveFailures"/> outcomes all failed is ejected for
/// <see cref="PassiveHealthOptions.EjectionTime"/> times its ejection multiplier, capped at
/// <see cref="PassiveHealthOptions.EffectiveMaxEjectionTime"/>, and comes back by itself when that time has passed.
/// </summary>
/// <remarks>
/// <para>The multiplier is one more than the number of recent ejections: it grows by one with each ejection (up to the
/// multiplier that reaches the cap) and shrinks by one for every whole <c>ejection_time</c> the destination spends
/// back in service, so a destination that fails again soon after it came back stays out longer, and one that behaved for
/// a while starts over (Envoy decays the same way).</para>
/// <para>No ejection happens while it would leave more than <see cref="PassiveHealthOptions.MaxEjectionPercent"/> of the
/// cluster ejected, except that one destination may always be ejected when none is, so that a two-destination cluster
/// at 50% or a one-destination cluster is protected too (panic mode then decides what a cluster with nothing usable does).
/// A refused ejection is counted in <see cref="EjectionsSkipped"/> and the destination's failure count starts over.</para>
/// <para>Thread-safety and cost: <see cref="OutlierState.Record"/> is lock-free and allocation-free (one interlocked
/// increment per failure, a read per success); ejection, restoration, <see cref="Add"/> and <see cref="Remove"/> take the
/// transition lock (shared with the cluster's breakers when owned by a <see cref="ClusterHealth"/>). Restoration is
/// driven by a <see cref="TimeProvider"/> timer per destination, since an ejected destination gets no traffic to notice
/// that its time is up.</para>
/// </remarks>
public sealed class PassiveOutlierDetector : IDisposable
{
    private readonly string _cluster;
    private readonly PassiveHealthOptions _options;
    private readonly TimeProvider _time;
    private readonly IHealthEvents _events;
    private readonly Lock _sync;
    private readonly Action? _changed;
    private readonly long _ejectionTicks;
    private readonly int _maxMultiplier;
    private int _destinationCount;
    private int _ejectedCount;
    private long _ejections;
    private long _ejectionsSkipped;
    private bool _disposed;

    /// <summary>A detector for <paramref name="cluster"/> (its name is used in events only), with no destination yet.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> do not validate.</exception>
    public PassiveOutlierDetector(string cluster, PassiveHealthOptions options, TimeProvider? timeProvider = null, IHealthEvents? events = null)
        : this(cluster, options, timeProvider ?? TimeProvider.System, events ?? NullHealthEvents.Instance, new Lock(), changed: null)
    {
    }

    /// <summary>A detector whose transitions are serialised by <paramref name="sync"/> and reported to <paramref name="changed"/> while it is held.</summary>
    internal PassiveOutlierDetector(string cluster, PassiveHealthOptions options, TimeProvider timeProvider, IHealthEvents events, Lock sync, Action? changed)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<OptionError> errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid passive health options: " + string.Join(" ", errors), nameof(options));

        _cluster = cluster;
        _options = options;
        _time = timeProvider;
        _events = events;
        _sync = sync;
        _changed = changed;
        _ejectionTicks = Math.Max(1, (long)(options.EjectionTime.TotalSeconds * timeProvider.TimestampFrequency));
        // The multiplier never grows past the one that reaches the cap, so decay starts from a meaningful value.
        _maxMultiplier = (int)Math.Min(int.MaxValue, Math.Ceiling(options.EffectiveMaxEjectionTime / options.EjectionTime));
    }

    /// <summary>Destinations currently tracked.</summary>
    public int DestinationCount => Volatile.Read(ref _destinationCount);

    /// <summary>Destinations ejected now; for metrics.</summary>
    public int EjectedCount => Volatile.Read(ref _ejectedCount);

    /// <summary>Ejections since the detector was made; for metrics.</summary>
    public long Ejections => Interlocked.Read(ref _ejections);

    /// <summary>Ejections refused because <c>max_ejection_percent</c> of the cluster was already out; for metrics.</summary>
    public long EjectionsSkipped => Interlocked.Read(ref _ejectionsSkipped);

    internal int ConsecutiveFailureThreshold => _options.ConsecutiveFailures;

    /// <summary>Starts tracking <paramref name="destination"/>: not ejected, no failures, multiplier 0. Takes the transition lock.</summary>
    public OutlierState Add(string destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _destinationCount++;
            return new OutlierState(this, destination);
        }
    }

    /// <summary>
    /// Stops tracking <paramref name="state"/> (a destination removed by a reload): its timer stops and it no longer
    /// counts towards the cluster's size or its ejected share. Idempotent. Takes the transition lock.
    /// </summary>
    public void Remove(OutlierState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Detector != this) throw new ArgumentException("The state belongs to another detector.", nameof(state));
        lock (_sync)
        {
            if (state.Removed) return;
            state.Removed = true;
            _destinationCount--;
            if (state.IsEjected) _ejectedCount--;
            state.StopTimer();
        }
    }

    /// <summary>Turns every pending restoration into a no-op (ejected destinations stay ejected) and refuses new destinations. Idempotent.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
        }
    }

    /// <summary>Called once by the failure that reached the threshold. Takes the transition lock.</summary>
    internal void TryEject(OutlierState state)
    {
        lock (_sync)
        {
            if (_disposed || state.Removed || state.IsEjected) return;
            if (!MayEjectOneMore())
            {
                Interlocked.Increment(ref _ejectionsSkipped);
                state.ResetFailures();   // try again after another full run of failures, not on every failure
                return;
            }

            long now = _time.GetTimestamp();
            int multiplier = state.Multiplier;
            if (multiplier > 0)
            {
                long forgiven = (now - state.RestoredAt) / _ejectionTicks;   // one per ejection_time back in service
                multiplier = (int)Math.Max(0, multiplier - forgiven);
            }

            multiplier = Math.Min(multiplier + 1, _maxMultiplier);
            TimeSpan duration = _options.EjectionTime * multiplier;
            if (duration > _options.EffectiveMaxEjectionTime) duration = _options.EffectiveMaxEjectionTime;

            state.Eject(multiplier, now + (long)(duration.TotalSeconds * _time.TimestampFrequency));
            _ejectedCount++;
            Interlocked.Increment(ref _ejections);
            state.StartTimer(_time, duration);
            _events.DestinationEjected(_cluster, state.Destination, duration, multiplier);
            _changed?.Invoke();
        }
    }

    /// <summary>The restoration timer of <paramref name="state"/> fired. Takes the transition lock.</summary>
    internal void OnEjectionElapsed(OutlierState state)
    {
        lock (_sync)
        {
            if (_disposed || state.Removed || !state.IsEjected) return;
            long now = _time.GetTimestamp();
            long remaining = state.EjectedUntil - now;
            if (remaining > 0)
            {
                // Woken early (a timer's resolution is coarse): sleep the rest rather than cut the ejection short.
                state.StartTimer(_time, TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency));
                return;
            }

            state.Restore(now);
            _ejectedCount--;
            _events.DestinationRestored(_cluster, state.Destination);
            _changed?.Invoke();
        }
    }

    private bool MayEjectOneMore()
    {
        if (_options.MaxEjectionPercent == 0) return false;
        if (_ejectedCount == 0) return true;
        return (long)(_ejectedCount + 1) * 100 <= (long)_options.MaxEjectionPercent * _destinationCount;
    }
}
