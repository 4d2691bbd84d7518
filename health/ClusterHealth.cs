using System.Collections.Immutable;

namespace Proxy.Health;

/// <summary>
/// The health of one cluster's destinations: probes (<see cref="ActiveProber"/>), outlier ejection
/// (<see cref="PassiveOutlierDetector"/>) and a <see cref="CircuitBreaker"/> per destination, combined into one
/// immutable <see cref="ClusterHealthSnapshot"/> of the destinations that may take traffic, and one
/// <see cref="Changed"/> notification when that set changes, so the engine rebuilds its array of usable destinations.
/// Also panic mode: when no destination may take traffic, all of them are used rather than none.
/// </summary>
/// <remarks>
/// <para>Lifetime: the engine keeps one instance per cluster for as long as the cluster's health options stay the same,
/// and gives it the cluster's destination keys on every reload (<see cref="SetDestinations"/>): destinations that stay
/// keep their state, new ones start fresh, removed ones are forgotten. A reload that changes the options builds a new
/// instance (and disposes the old one), whose destinations start over as at startup.</para>
/// <para>Thread-safety: <see cref="Current"/>, <see cref="IsPanicking"/> and everything on <see cref="DestinationHealth"/>
/// that the request path calls are lock-free. Every transition of every destination of the cluster (a verdict, an
/// ejection, a breaker move, a new set of destinations) is serialised by one lock per cluster, and
/// <see cref="Changed"/> and the <see cref="IHealthEvents"/> are raised while it is held, so they arrive in order and
/// each exactly once. Handlers must be quick and must not call <see cref="SetDestinations"/> or <see cref="Dispose"/>.</para>
/// </remarks>
public sealed class ClusterHealth : IDisposable
{
    private readonly ClusterHealthOptions _options;
    private readonly IHealthEvents _events;
    private readonly TimeProvider _time;
    private readonly Lock _sync = new();
    private readonly Action _recompute;
    private readonly PassiveOutlierDetector? _outliers;
    private readonly ActiveProber? _prober;
    private readonly Dictionary<string, DestinationHealth> _byKey = new(StringComparer.Ordinal);
    private ClusterHealthSnapshot _current = ClusterHealthSnapshot.Empty;
    private long _panicActivations;
    private bool _disposed;

    /// <summary>
    /// Health for the cluster <paramref name="name"/>, with no destination yet. <paramref name="probe"/> is required
    /// when <paramref name="options"/> has active probing; the rest default to no events, the system clock and
    /// <see cref="SharedJitterSource"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> do not validate, or active probing has no <paramref name="probe"/>.</exception>
    public ClusterHealth(string name, ClusterHealthOptions options, IHealthProbe? probe = null, IHealthEvents? events = null, TimeProvider? timeProvider = null, IJitterSource? jitter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<OptionError> errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException($"Invalid health options for cluster {name}: " + string.Join(" ", errors), nameof(options));
        if (options.Active is not null && probe is null) throw new ArgumentException("Active probing needs an IHealthProbe.", nameof(probe));

        Name = name;
        _options = options;
        _events = events ?? NullHealthEvents.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _recompute = Recompute;
        if (options.Passive is not null)
        {
            _outliers = new PassiveOutlierDetector(name, options.Passive, _time, _events, _sync, _recompute);
        }

        if (options.Active is not null)
        {
            _prober = new ActiveProber(options.Active, probe!, OnProbeCompleted, _time, jitter);
        }
    }

    /// <summary>Raised, with the new snapshot, each time the usable set or panic mode changes (and on every <see cref="SetDestinations"/> that changes the destinations). See the remarks for the thread it runs on.</summary>
    public event EventHandler<ClusterHealthSnapshot>? Changed;

    /// <summary>The cluster's name, as used in events.</summary>
    public string Name { get; }

    /// <summary>The latest snapshot; one volatile read.</summary>
    public ClusterHealthSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Whether panic mode is on now; one volatile read.</summary>
    public bool IsPanicking => Volatile.Read(ref _current).IsPanic;

    /// <summary>How many times panic mode began; for metrics.</summary>
    public long PanicActivations => Interlocked.Read(ref _panicActivations);

    /// <summary>The cluster's outlier detector (for its counters), or null without passive health.</summary>
    public PassiveOutlierDetector? OutlierDetector => _outliers;

    /// <summary>The destination with <paramref name="key"/>, or null. Takes the transition lock: not for the request path.</summary>
    public DestinationHealth? Find(string key)
    {
        lock (_sync)
        {
            return _byKey.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Makes <paramref name="keys"/> (unique, non-empty) the cluster's destinations, in that order: a key already known
    /// keeps its state, a new one starts with no history (see <see cref="DestinationHealth"/> for whether it takes
    /// traffic before its first verdict), a key no longer given is forgotten and its probes stop. Publishes and returns
    /// the new snapshot. Called by the reload path; takes the transition lock.
    /// </summary>
    /// <exception cref="ArgumentException">A key is empty or given twice.</exception>
    public ClusterHealthSnapshot SetDestinations(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in keys)
        {
            if (string.IsNullOrEmpty(key)) throw new ArgumentException("A destination key is empty.", nameof(keys));
            if (!seen.Add(key)) throw new ArgumentException($"The destination {key} is given twice.", nameof(keys));
        }

        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // A cluster that has no destination has no healthy one to protect: its newcomers get the benefit of the doubt.
            bool usableBeforeVerdict = _byKey.Count == 0;
            var destinations = ImmutableArray.CreateBuilder<DestinationHealth>(keys.Count);
            var added = new List<string>();
            foreach (string key in keys)
            {
                if (!_byKey.TryGetValue(key, out DestinationHealth? destination))
                {
                    destination = Create(key, usableBeforeVerdict);
                    added.Add(key);
                }

                destinations.Add(destination);
            }

            foreach (DestinationHealth old in _byKey.Values)
            {
                if (!seen.Contains(old.Key)) Forget(old);
            }

            _byKey.Clear();
            foreach (DestinationHealth destination in destinations) _byKey.Add(destination.Key, destination);

            // Probing starts once the destination is in place to take its verdicts.
            foreach (string key in added) _prober?.Add(key);
            ImmutableArray<DestinationHealth> next = destinations.MoveToImmutable();
            // The same destinations in the same order keep the same array, so an unchanged reload raises no Changed.
            Publish(next.SequenceEqual(_current.Destinations) ? _current.Destinations : next);
            return _current;
        }
    }

    /// <summary>Stops probes and timers; the last snapshot stays readable. Idempotent.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (DestinationHealth destination in _byKey.Values) Forget(destination);
            _outliers?.Dispose();
        }

        _prober?.Dispose();
    }

    private DestinationHealth Create(string key, bool usableBeforeVerdict)
    {
        ActiveHealthTracker? tracker = _options.Active is { } active ? new ActiveHealthTracker(active.Thresholds) : null;
        OutlierState? outlier = _outliers?.Add(key);
        CircuitBreaker? breaker = _options.CircuitBreaker is { } breakerOptions
            ? new CircuitBreaker(Name, key, breakerOptions, _time, _events, _sync, _recompute)
            : null;
        return new DestinationHealth(this, key, usableBeforeVerdict, tracker, outlier, breaker);
    }

    private void Forget(DestinationHealth destination)
    {
        _prober?.Remove(destination.Key);
        if (destination.Outlier is { } outlier) _outliers!.Remove(outlier);
        destination.CircuitBreaker?.Dispose();
    }

    private void OnProbeCompleted(string key, ProbeResult result, bool passed)
    {
        lock (_sync)
        {
            // A result racing the destination's removal belongs to nobody now.
            if (_disposed || !_byKey.TryGetValue(key, out DestinationHealth? destination) || destination.Tracker is not { } tracker) return;
            ActiveHealth previous = tracker.State;
            if (!tracker.Record(passed)) return;
            destination.SetActiveHealth(tracker.State);
            _events.ActiveHealthChanged(Name, key, previous, tracker.State, result);
            Recompute();
        }
    }

    /// <summary>Something about one destination changed: publish a new snapshot if the usable set did. Under the lock.</summary>
    private void Recompute()
    {
        if (_disposed) return;
        Publish(_current.Destinations);
    }

    private void Publish(ImmutableArray<DestinationHealth> destinations)
    {
        ClusterHealthSnapshot previous = _current;
        var mask = new bool[destinations.Length];
        int usableCount = 0;
        for (int i = 0; i < destinations.Length; i++)
        {
            mask[i] = destinations[i].MayTakeTraffic;
            if (mask[i]) usableCount++;
        }

        bool panic = usableCount == 0 && destinations.Length > 0 && _options.PanicMode;
        if (panic)
        {
            Array.Fill(mask, true);
            usableCount = destinations.Length;
        }

        if (destinations == previous.Destinations && panic == previous.IsPanic && SameMask(mask, previous)) return;

        var usable = ImmutableArray.CreateBuilder<DestinationHealth>(usableCount);
        for (int i = 0; i < destinations.Length; i++)
        {
            if (mask[i]) usable.Add(destinations[i]);
        }

        var next = new ClusterHealthSnapshot(previous.Version + 1, destinations, usable.MoveToImmutable(), mask, panic);
        Volatile.Write(ref _current, next);
        if (panic != previous.IsPanic)
        {
            if (panic) Interlocked.Increment(ref _panicActivations);
            _events.PanicChanged(Name, panic);
        }

        Changed?.Invoke(this, next);
    }

    private static bool SameMask(bool[] mask, ClusterHealthSnapshot previous)
    {
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] != previous.IsUsable(i)) return false;
        }

        return true;
    }
}
