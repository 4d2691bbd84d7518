using System.Runtime.CompilerServices;

namespace Proxy.Health;

/// <summary>
/// One destination's circuit breaker. Closed: every request passes and outcomes are counted over a sliding
/// <see cref="CircuitBreakerOptions.Window"/>; when at least <see cref="CircuitBreakerOptions.MinimumRequests"/> were
/// counted and the failed share reaches <see cref="CircuitBreakerOptions.FailureRatio"/>, it opens. Open: everything is
/// refused for <see cref="CircuitBreakerOptions.OpenFor"/>. Half-open: <see cref="CircuitBreakerOptions.HalfOpenRequests"/>
/// trial requests pass; when all succeed it closes with an empty window, when any fails it opens again.
/// </summary>
/// <remarks>
/// Thread-safety and cost: <see cref="TryAcquire"/> and <see cref="Record"/> are lock-free and allocation-free; in the
/// closed state a permit is one volatile read, and an outcome one or two interlocked increments on a bucket (a failure
/// also sums the ten buckets to check the ratio). Transitions take the transition lock (shared by the whole cluster when
/// the breaker belongs to a <see cref="ClusterHealth"/>) and happen a few times a minute at worst. The move from open to
/// half-open is driven by a <see cref="TimeProvider"/> timer, so an open destination that gets no traffic still comes back.
/// </remarks>
public sealed partial class CircuitBreaker : IDisposable
{
    private const int StateBits = 2;
    private const int StateMask = (1 << StateBits) - 1;

    private readonly CircuitBreakerOptions _options;
    private readonly TimeProvider _time;
    private readonly IHealthEvents _events;
    private readonly string _cluster;
    private readonly Lock _sync;
    private readonly Action? _stateChanged;
    private readonly long _openForTicks;

    // State and generation in one int, so the closed fast path is one volatile read and a permit can carry the
    // generation it was issued in: low 2 bits CircuitState, the rest a counter bumped on every transition.
    private int _stateAndGeneration;
    // The half-open phase's counters carry the generation they belong to in their high 32 bits, so a thread still
    // holding an older snapshot can neither take nor return a trial of a newer phase, nor count a success in it.
    private long _trials;          // generation << 32 | trials not yet handed out
    private long _trialSuccesses;  // generation << 32 | trial successes reported
    private long _openUntil;
    private long _halfOpenSince;
    private long _timesOpened;
    private long _rejected;
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>
    /// A closed breaker for <paramref name="destination"/> of <paramref name="cluster"/> (names used in events only).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> do not validate.</exception>
    public CircuitBreaker(string cluster, string destination, CircuitBreakerOptions options, TimeProvider? timeProvider = null, IHealthEvents? events = null)
        : this(cluster, destination, options, timeProvider ?? TimeProvider.System, events ?? NullHealthEvents.Instance, new Lock(), stateChanged: null)
    {
    }

    /// <summary>A breaker whose transitions are serialised by <paramref name="sync"/> and reported to <paramref name="stateChanged"/> while it is held.</summary>
    internal CircuitBreaker(string cluster, string destination, CircuitBreakerOptions options, TimeProvider timeProvider, IHealthEvents events, Lock sync, Action? stateChanged)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<OptionError> errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid circuit breaker options: " + string.Join(" ", errors), nameof(options));

        _cluster = cluster;
        Destination = destination;
        _options = options;
        _time = timeProvider;
        _events = events;
        _sync = sync;
        _stateChanged = stateChanged;
        _openForTicks = ToTimestampTicks(options.OpenFor);
        _bucketTicks = Math.Max(1, ToTimestampTicks(options.Window) / BucketCount);
        ClearWindow();
    }

    /// <summary>The destination this breaker guards (its key).</summary>
    public string Destination { get; }

    /// <summary>The current state; may change right after it is read.</summary>
    public CircuitState State => (CircuitState)(Volatile.Read(ref _stateAndGeneration) & StateMask);

    /// <summary>How many times this breaker opened (from closed or from half-open); for metrics.</summary>
    public long TimesOpened => Interlocked.Read(ref _timesOpened);

    /// <summary>Requests refused because the breaker was open, or half-open with every trial taken; for metrics.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>
    /// Asks to send one request. True with a permit to report back through <see cref="Record"/> exactly once (also when
    /// the attempt was abandoned: report <see cref="RequestOutcome.Cancelled"/>, which hands a trial back); false when
    /// the breaker refuses, and the engine should try another destination. Lock-free and allocation-free.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAcquire(out CircuitPermit permit)
    {
        int snapshot = Volatile.Read(ref _stateAndGeneration);
        if ((snapshot & StateMask) == (int)CircuitState.Closed)
        {
            permit = new CircuitPermit(snapshot >> StateBits, CircuitPermitKind.Normal);
            return true;
        }

        return TryAcquireSlow(snapshot, out permit);
    }

    /// <summary>
    /// Reports how the attempt admitted with <paramref name="permit"/> ended. Outcomes of permits issued in an earlier
    /// state, and of <c>default</c> permits, are ignored. Lock-free and allocation-free unless it causes a transition.
    /// </summary>
    public void Record(CircuitPermit permit, RequestOutcome outcome)
    {
        if (permit.Kind == CircuitPermitKind.Untracked) return;
        int snapshot = Volatile.Read(ref _stateAndGeneration);
        if (snapshot >> StateBits != permit.Generation) return;   // the breaker moved on since this permit was issued

        if (permit.Kind == CircuitPermitKind.Normal)
        {
            RecordClosed(snapshot, outcome);
        }
        else
        {
            RecordTrial(snapshot, outcome);
        }
    }

    /// <summary>Stops the breaker's timer; later calls still answer but the breaker no longer leaves the open state by itself.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private bool TryAcquireSlow(int snapshot, out CircuitPermit permit)
    {
        permit = default;
        var state = (CircuitState)(snapshot & StateMask);
        if (state == CircuitState.Open)
        {
            // The timer moves the breaker on; this only covers a timer that is late, so a request never waits on it.
            if (_time.GetTimestamp() - Volatile.Read(ref _openUntil) < 0)
            {
                Interlocked.Increment(ref _rejected);
                return false;
            }

            lock (_sync)
            {
                if (Volatile.Read(ref _stateAndGeneration) == snapshot) EnterHalfOpen();
            }

            return TryAcquire(out permit);
        }

        // Half-open: hand out the remaining trials, one compare-and-swap each.
        int generation = snapshot >> StateBits;
        if (TryAdd(ref _trials, generation, -1))
        {
            permit = new CircuitPermit(generation, CircuitPermitKind.Trial);
            return true;
        }

        // Every trial is out. A trial whose outcome never comes back would keep the breaker here for ever; after another
        // open_for without a verdict, hand out a fresh set (a new generation, so the lost ones no longer count).
        if (_time.GetTimestamp() - Volatile.Read(ref _halfOpenSince) >= _openForTicks)
        {
            lock (_sync)
            {
                if (Volatile.Read(ref _stateAndGeneration) == snapshot) EnterHalfOpen();
            }

            return TryAcquire(out permit);
        }

        Interlocked.Increment(ref _rejected);
        return false;
    }

    private void RecordTrial(int snapshot, RequestOutcome outcome)
    {
        if (outcome == RequestOutcome.Cancelled)
        {
            TryAdd(ref _trials, snapshot >> StateBits, +1);   // abandoned, not judged: someone else may try
            return;
        }

        if (RequestOutcomes.IsFailure(outcome))
        {
            lock (_sync)
            {
                if (Volatile.Read(ref _stateAndGeneration) == snapshot) EnterOpen();
            }

            return;
        }

        if (!TryAdd(ref _trialSuccesses, snapshot >> StateBits, +1)) return;
        if ((int)Volatile.Read(ref _trialSuccesses) < _options.HalfOpenRequests) return;
        lock (_sync)
        {
            if (Volatile.Read(ref _stateAndGeneration) == snapshot) EnterClosed();
        }
    }

    private void EnterOpen()
    {
        long now = _time.GetTimestamp();
        Volatile.Write(ref _openUntil, now + _openForTicks);
        Interlocked.Increment(ref _timesOpened);
        CircuitState previous = Transition(CircuitState.Open);
        if (!_disposed)
        {
            _timer ??= _time.CreateTimer(static state => ((CircuitBreaker)state!).OnOpenElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(_options.OpenFor, Timeout.InfiniteTimeSpan);
        }

        Raise(previous, CircuitState.Open);
    }

    private void EnterHalfOpen()
    {
        // The counters of the new phase are in place before the state that lets threads use them is published.
        long generation = (Volatile.Read(ref _stateAndGeneration) >> StateBits) + 1;
        Volatile.Write(ref _halfOpenSince, _time.GetTimestamp());
        Volatile.Write(ref _trialSuccesses, generation << 32);
        Volatile.Write(ref _trials, (generation << 32) | (uint)_options.HalfOpenRequests);
        CircuitState previous = Transition(CircuitState.HalfOpen);
        if (previous != CircuitState.HalfOpen) Raise(previous, CircuitState.HalfOpen);   // a re-armed half-open is no change
    }

    private void EnterClosed()
    {
        ClearWindow();
        CircuitState previous = Transition(CircuitState.Closed);
        Raise(previous, CircuitState.Closed);
    }

    /// <summary>Sets the new state with the next generation; returns the previous state. Called under <see cref="_sync"/>.</summary>
    private CircuitState Transition(CircuitState next)
    {
        int current = Volatile.Read(ref _stateAndGeneration);
        int generation = (current >> StateBits) + 1;
        Volatile.Write(ref _stateAndGeneration, (generation << StateBits) | (int)next);
        return (CircuitState)(current & StateMask);
    }

    private void Raise(CircuitState previous, CircuitState current)
    {
        _events.CircuitStateChanged(_cluster, Destination, previous, current);
        _stateChanged?.Invoke();
    }

    private void OnOpenElapsed()
    {
        lock (_sync)
        {
            if (_disposed || State != CircuitState.Open) return;
            long remaining = Volatile.Read(ref _openUntil) - _time.GetTimestamp();
            if (remaining > 0)
            {
                // Woken early (a timer's resolution is coarse): sleep the rest rather than cut open_for short.
                _timer?.Change(TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                return;
            }

            EnterHalfOpen();
        }
    }

    /// <summary>
    /// Adds <paramref name="delta"/> to the low half of <paramref name="word"/> if its high half is
    /// <paramref name="generation"/> and the result is not negative; false otherwise. Lock-free.
    /// </summary>
    private static bool TryAdd(ref long word, int generation, int delta)
    {
        long seen = Volatile.Read(ref word);
        while ((int)(seen >> 32) == generation && (int)seen + delta >= 0)
        {
            long previous = Interlocked.CompareExchange(ref word, seen + delta, seen);
            if (previous == seen) return true;
            seen = previous;
        }

        return false;
    }

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
