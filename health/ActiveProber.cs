namespace Proxy.Health;

/// <summary>
/// Runs active health probes for a set of destinations: one probe at a time per destination through
/// <see cref="IHealthProbe"/>, every <see cref="ActiveHealthOptions.Interval"/> from the end of the previous probe,
/// stretched or shrunk at random by up to <see cref="ActiveHealthOptions.JitterPercent"/>; a probe without a response
/// head after <see cref="ActiveHealthOptions.Timeout"/> fails. Each result goes to a <see cref="ProbeCompleted"/>
/// callback; the verdict (rise/fall) is the caller's, through <see cref="ActiveHealthTracker"/>.
/// </summary>
/// <remarks>
/// <para>Scheduling the next probe after the previous one ends (rather than on a fixed clock) means a slow destination
/// is never probed twice at once. The first probe of a destination starts after a random share of the jitter, at most
/// <c>interval x jitter_percent</c>, so a proxy that starts with many destinations does not probe them all at once.</para>
/// <para>Time comes from the injected <see cref="TimeProvider"/> (timers for the schedule and the timeout) and jitter
/// from <see cref="IJitterSource"/>, so tests drive it without sleeping. Thread-safe: <see cref="Add"/>,
/// <see cref="Remove"/> and timer callbacks may run concurrently. Costs one timer pair per destination and a small
/// allocation per probe (its cancellation source), which is off the request path.</para>
/// </remarks>
public sealed class ActiveProber : IDisposable
{
    private readonly ActiveHealthOptions _options;
    private readonly IHealthProbe _probe;
    private readonly ProbeCompleted _completed;
    private readonly TimeProvider _time;
    private readonly IJitterSource _jitter;
    private readonly Dictionary<string, ProbeLoop> _loops = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();
    private bool _disposed;

    /// <summary>A prober with no destination yet.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> do not validate.</exception>
    public ActiveProber(ActiveHealthOptions options, IHealthProbe probe, ProbeCompleted completed, TimeProvider? timeProvider = null, IJitterSource? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(completed);
        IReadOnlyList<OptionError> errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid active health options: " + string.Join(" ", errors), nameof(options));

        _options = options;
        _probe = probe;
        _completed = completed;
        _time = timeProvider ?? TimeProvider.System;
        _jitter = jitter ?? SharedJitterSource.Instance;
    }

    /// <summary>Destinations being probed.</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _loops.Count;
            }
        }
    }

    /// <summary>Starts probing <paramref name="destinationKey"/>; false when it is already probed.</summary>
    public bool Add(string destinationKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationKey);
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_loops.ContainsKey(destinationKey)) return false;
            var loop = new ProbeLoop(this, destinationKey);
            _loops.Add(destinationKey, loop);
            loop.Start(FirstDelay());
            return true;
        }
    }

    /// <summary>
    /// Stops probing <paramref name="destinationKey"/>: no further probe starts, a probe in flight is cancelled and its
    /// result dropped. False when it was not probed.
    /// </summary>
    public bool Remove(string destinationKey)
    {
        ArgumentNullException.ThrowIfNull(destinationKey);
        ProbeLoop? loop;
        lock (_sync)
        {
            if (!_loops.Remove(destinationKey, out loop)) return false;
        }

        loop.Stop();
        return true;
    }

    /// <summary>Stops every probe, as <see cref="Remove"/> does. Idempotent.</summary>
    public void Dispose()
    {
        ProbeLoop[] loops;
        lock (_sync)
        {
            if (_disposed) return;
            _disposed = true;
            loops = [.. _loops.Values];
            _loops.Clear();
        }

        foreach (ProbeLoop loop in loops) loop.Stop();
    }

    /// <summary>The wait before a destination's first probe: a random share of the jitter, so first probes spread out.</summary>
    internal TimeSpan FirstDelay() => _options.Interval * (_options.JitterPercent / 100.0 * _jitter.NextDouble());

    /// <summary>The wait before the next probe: the interval, plus or minus up to <c>jitter_percent</c> of it.</summary>
    internal TimeSpan NextDelay()
    {
        double spread = _options.JitterPercent / 100.0 * ((2 * _jitter.NextDouble()) - 1);
        return _options.Interval * (1 + spread);
    }

    /// <summary>One destination's schedule: a timer for the next probe, a timer for the probe in flight's timeout.</summary>
    private sealed class ProbeLoop
    {
        private readonly ActiveProber _owner;
        private readonly string _key;
        private readonly Lock _sync = new();
        private ITimer? _due;
        private ITimer? _timeout;
        private CancellationTokenSource? _cancellation;
        private int _attempt;        // numbers the probes, so a late result or timeout of an older one is recognised
        private bool _inFlight;
        private long _deadline;      // timestamp when the probe in flight times out
        private bool _stopped;

        public ProbeLoop(ActiveProber owner, string key)
        {
            _owner = owner;
            _key = key;
        }

        public void Start(TimeSpan firstDelay)
        {
            lock (_sync)
            {
                // Made disarmed and armed under the lock, so a callback that fires at once finds the fields set.
                _due = _owner._time.CreateTimer(static state => ((ProbeLoop)state!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timeout = _owner._time.CreateTimer(static state => ((ProbeLoop)state!).OnTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _due.Change(firstDelay, Timeout.InfiniteTimeSpan);
            }
        }

        public void Stop()
        {
            CancellationTokenSource? cancellation;
            lock (_sync)
            {
                _stopped = true;
                _due?.Dispose();
                _timeout?.Dispose();
                cancellation = _inFlight ? _cancellation : null;
            }

            Cancel(cancellation);
        }

        private void OnDue()
        {
            int attempt;
            CancellationTokenSource cancellation;
            lock (_sync)
            {
                if (_stopped || _inFlight) return;
                attempt = ++_attempt;
                _inFlight = true;
                cancellation = new CancellationTokenSource();
                _cancellation = cancellation;
                TimeProvider time = _owner._time;
                _deadline = time.GetTimestamp() + (long)(_owner._options.Timeout.TotalSeconds * time.TimestampFrequency);
                _timeout!.Change(_owner._options.Timeout, Timeout.InfiniteTimeSpan);
            }

            ValueTask<ProbeResult> pending;
            try
            {
                pending = _owner._probe.ProbeAsync(_key, _owner._options.Path, cancellation.Token);
            }
#pragma warning disable CA1031 // A probe that throws is a failed probe; it must not stop probing for good.
            catch (Exception)
#pragma warning restore CA1031
            {
                cancellation.Dispose();
                Settle(attempt, ProbeResult.Failed(RequestOutcome.InvalidResponse), timedOut: false);
                return;
            }

            if (pending.IsCompletedSuccessfully)
            {
                ProbeResult result = pending.Result;
                cancellation.Dispose();
                Settle(attempt, result, timedOut: false);
                return;
            }

            // ExecuteSynchronously: the result is settled on the thread that completed the probe, with no hop to the
            // thread pool (and deterministically in tests, whatever synchronization context they run under).
            pending.AsTask().ContinueWith(
                static (task, state) => ((PendingProbe)state!).Complete(task),
                new PendingProbe(this, attempt, cancellation),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        private void OnTimeout()
        {
            int attempt;
            lock (_sync)
            {
                // A timer callback already under way when the timer was disarmed may still arrive: check the clock.
                if (!_inFlight || _owner._time.GetTimestamp() - _deadline < 0) return;
                attempt = _attempt;
            }

            Settle(attempt, ProbeResult.Failed(RequestOutcome.ResponseHeaderTimeout), timedOut: true);
        }

        /// <summary>Ends probe <paramref name="attempt"/> with <paramref name="result"/> unless it already ended; schedules the next.</summary>
        internal void Settle(int attempt, ProbeResult result, bool timedOut)
        {
            CancellationTokenSource? cancellation;
            lock (_sync)
            {
                if (_stopped || !_inFlight || attempt != _attempt) return;   // timed out already, or stopped
                _inFlight = false;
                _timeout!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                cancellation = timedOut ? _cancellation : null;
                _cancellation = null;
            }

            Cancel(cancellation);   // outside the lock: cancellation callbacks run inline
            bool passed = result.HasResponse && _owner._options.ExpectStatus.Contains(result.StatusCode);
            _owner._completed(_key, result, passed);

            lock (_sync)
            {
                if (!_stopped) _due!.Change(_owner.NextDelay(), Timeout.InfiniteTimeSpan);
            }
        }

        private static void Cancel(CancellationTokenSource? cancellation)
        {
            try
            {
                cancellation?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The probe finished and disposed it in the meantime: nothing left to cancel.
            }
        }
    }

    /// <summary>A probe that did not complete at once: what its completion needs to settle it.</summary>
    private sealed class PendingProbe(ProbeLoop loop, int attempt, CancellationTokenSource cancellation)
    {
        public void Complete(Task<ProbeResult> task)
        {
            cancellation.Dispose();
            ProbeResult result;
            if (task.IsCompletedSuccessfully)
            {
                result = task.Result;
            }
            else
            {
                // Cancelled after a timeout (then ignored anyway) or a broken probe: either way, a failed probe. Reading
                // Exception marks it observed, so it never surfaces as an unobserved task exception.
                _ = task.Exception;
                result = ProbeResult.Failed(RequestOutcome.InvalidResponse);
            }

            loop.Settle(attempt, result, timedOut: false);
        }
    }
}
