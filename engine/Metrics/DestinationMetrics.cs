using System.Text.Json;
using Prometheus;
using Proxy.Balancers;
using Proxy.Engine.Upstreams;
using Proxy.Health;

namespace Proxy.Engine.Metrics;

/// <summary>
/// The metrics of one destination of one cluster: its upstream requests and pool, read from the pool and the
/// destination's live counters at scrape time; its health and breaker state, set by <see cref="HealthMetrics"/>; and the
/// close reasons of its connections. One instance per (cluster, address), kept across reloads while configured.
/// </summary>
internal sealed class DestinationMetrics
{
    private static readonly UpstreamCloseReason[] CloseReasons = Enum.GetValues<UpstreamCloseReason>();

    private readonly Counter.Child _requests;
    private readonly Gauge.Child _requestsActive;
    private readonly Gauge.Child _idle;
    private readonly Gauge.Child _active;
    private readonly Counter.Child _opened;
    private readonly Counter.Child _reused;
    private readonly Counter.Child[] _closed;           // by UpstreamCloseReason
    private readonly long[] _closedByReason;            // reported by OnConnectionClosed
    private readonly Gauge.Child[] _health;             // by ActiveHealth
    private readonly Gauge.Child[] _circuit;            // by CircuitState
    private readonly Gauge.Child _ejected;
    private readonly Counter.Child _ejections;

    // Scrape-time sources and what was last read from them; guarded by ProxyMetrics' lock.
    private UpstreamPool? _pool;
    private DestinationState? _state;
    private long _seenOpened, _seenReused, _seenClosed, _seenRequests;

    internal DestinationMetrics(MetricFamilies families, string cluster, string address)
    {
        ClusterName = cluster;
        Address = address;
        JsonAddress = JsonEncodedText.Encode(address);
        _requests = families.UpstreamRequests.WithLabels(cluster, address);
        _requestsActive = families.UpstreamRequestsActive.WithLabels(cluster, address);
        _idle = families.PoolIdle.WithLabels(cluster, address);
        _active = families.PoolActive.WithLabels(cluster, address);
        _opened = families.PoolOpened.WithLabels(cluster, address);
        _reused = families.PoolReused.WithLabels(cluster, address);
        _closed = new Counter.Child[CloseReasons.Length];
        foreach (UpstreamCloseReason reason in CloseReasons)
        {
            _closed[(int)reason] = families.PoolClosed.WithLabels(cluster, address, MetricNames.SnakeCase(reason.ToString()));
        }
        _closedByReason = new long[CloseReasons.Length];
        _health = [
            families.Health.WithLabels(cluster, address, "unknown"),
            families.Health.WithLabels(cluster, address, "healthy"),
            families.Health.WithLabels(cluster, address, "unhealthy"),
        ];
        _circuit = [
            families.Circuit.WithLabels(cluster, address, "closed"),
            families.Circuit.WithLabels(cluster, address, "open"),
            families.Circuit.WithLabels(cluster, address, "half_open"),
        ];
        _ejected = families.Ejected.WithLabels(cluster, address);
        _ejections = families.Ejections.WithLabels(cluster, address);
        // Health's starting points: no probe verdict yet, breaker closed, not ejected.
        SetActiveHealth(ActiveHealth.Unknown);
        SetCircuitState(CircuitState.Closed);
        _ejected.Set(0);
    }

    public string ClusterName { get; }
    public string Address { get; }

    /// <summary>The address, JSON-escaped once, for the access log.</summary>
    public JsonEncodedText JsonAddress { get; }

    /// <summary>
    /// Counts a closed upstream connection under <paramref name="reason"/>: one interlocked increment, from any thread.
    /// Exported only when <see cref="ProxyMetrics.CloseReasonsReported"/> is set.
    /// </summary>
    public void OnConnectionClosed(UpstreamCloseReason reason) => Interlocked.Increment(ref _closedByReason[(int)reason]);

    public void SetActiveHealth(ActiveHealth health)
    {
        for (int i = 0; i < _health.Length; i++) _health[i].Set(i == (int)health ? 1 : 0);
    }

    public void SetCircuitState(CircuitState state)
    {
        for (int i = 0; i < _circuit.Length; i++) _circuit[i].Set(i == (int)state ? 1 : 0);
    }

    public void Ejected()
    {
        _ejected.Set(1);
        _ejections.Inc();
    }

    public void Restored() => _ejected.Set(0);

    /// <summary>
    /// Reads <paramref name="pool"/> and <paramref name="state"/> from now on. A replaced pool (new pool settings) is read
    /// one last time first, so its counts are not lost; the new one counts from zero.
    /// </summary>
    internal void Attach(UpstreamPool pool, DestinationState state)
    {
        if (ReferenceEquals(pool, _pool) && ReferenceEquals(state, _state)) return;
        if (_pool is not null) CollectPool(reasonsReported: false);
        if (!ReferenceEquals(pool, _pool)) { _pool = pool; _seenOpened = _seenReused = _seenClosed = 0; }
        if (!ReferenceEquals(state, _state)) { _state = state; _seenRequests = 0; }
    }

    /// <summary>Copies the pool's and the live counters' figures into the registry; scrape time only.</summary>
    internal void Collect(bool reasonsReported)
    {
        if (_state is not null)
        {
            long requests = _state.TotalRequests;
            if (requests > _seenRequests) _requests.Inc(requests - _seenRequests);
            _seenRequests = requests;
            _requestsActive.Set(_state.ActiveRequests);
        }
        CollectPool(reasonsReported);
        if (reasonsReported)
        {
            for (int i = 0; i < _closed.Length; i++) _closed[i].IncTo(Interlocked.Read(ref _closedByReason[i]));
        }
    }

    private void CollectPool(bool reasonsReported)
    {
        if (_pool is null) return;
        int open = _pool.OpenConnections, inUse = _pool.InUse;
        _active.Set(inUse);
        // In use counts places taken under max_connections, including connections still being opened: an estimate.
        _idle.Set(Math.Max(0, open - inUse));
        _opened.Inc(Delta(_pool.Opened, ref _seenOpened));
        _reused.Inc(Delta(_pool.Reused, ref _seenReused));
        long closed = Delta(_pool.Closed, ref _seenClosed);
        if (!reasonsReported) _closed[(int)UpstreamCloseReason.Unspecified].Inc(closed);
    }

    private static long Delta(long now, ref long seen)
    {
        long delta = Math.Max(0, now - seen);
        seen = now;
        return delta;
    }

    internal void Remove()
    {
        _requests.Remove();
        _requestsActive.Remove();
        _idle.Remove();
        _active.Remove();
        _opened.Remove();
        _reused.Remove();
        foreach (Counter.Child child in _closed) child.Remove();
        foreach (Gauge.Child child in _health) child.Remove();
        foreach (Gauge.Child child in _circuit) child.Remove();
        _ejected.Remove();
        _ejections.Remove();
    }

    public override string ToString() => $"{ClusterName}/{Address}";
}
