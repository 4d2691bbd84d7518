using System.Runtime.CompilerServices;

namespace Proxy.Health;

/// <summary>
/// One destination of one cluster, as health sees it: its probe verdict, its outlier ejection and its circuit breaker,
/// combined into one answer, <see cref="MayTakeTraffic"/>. Made and owned by <see cref="ClusterHealth"/>, and kept
/// across reloads for as long as the destination's key stays in the cluster.
/// </summary>
/// <remarks>
/// <para>The request path: <see cref="TryAcquire"/> before an attempt, <see cref="Report"/> after it, exactly once per
/// successful acquire. Both are lock-free and allocation-free; a report that causes a transition (an ejection, a
/// breaker opening) takes the cluster's transition lock once.</para>
/// <para>The rule for <see cref="ActiveHealth.Unknown"/>: destinations present when the cluster first gets
/// destinations (at startup, or a new cluster on reload) take traffic until probing says otherwise, since a proxy that
/// just started must serve (HAProxy's servers start up, too). Destinations added later to a running cluster wait for
/// their first healthy verdict, since a server being added is often still starting (Envoy holds back hosts added at
/// run time until their first check passes). Panic mode still covers a cluster in which nothing is usable.</para>
/// </remarks>
public sealed class DestinationHealth
{
    private readonly ClusterHealth _cluster;
    private readonly bool _usableBeforeVerdict;
    private volatile ActiveHealth _activeHealth;

    internal DestinationHealth(ClusterHealth cluster, string key, bool usableBeforeVerdict, ActiveHealthTracker? tracker, OutlierState? outlier, CircuitBreaker? breaker)
    {
        _cluster = cluster;
        Key = key;
        _usableBeforeVerdict = usableBeforeVerdict;
        Tracker = tracker;
        Outlier = outlier;
        CircuitBreaker = breaker;
        _activeHealth = tracker is null ? ActiveHealth.Healthy : ActiveHealth.Unknown;
    }

    /// <summary>The destination's key: its address as configured, unique within the cluster.</summary>
    public string Key { get; }

    /// <summary>The probe verdict; <see cref="ActiveHealth.Healthy"/> when the cluster has no active probing.</summary>
    public ActiveHealth ActiveHealth => _activeHealth;

    /// <summary>Whether outlier detection has ejected the destination now.</summary>
    public bool IsEjected => Outlier?.IsEjected ?? false;

    /// <summary>The circuit breaker's state; <see cref="CircuitState.Closed"/> when the cluster has no breaker.</summary>
    public CircuitState CircuitState => CircuitBreaker?.State ?? CircuitState.Closed;

    /// <summary>
    /// Whether the destination may take traffic, panic mode aside: its probe verdict allows it (healthy, or unknown while
    /// it has the benefit of the doubt, see the remarks), it is not ejected, and its breaker is not open (a half-open
    /// breaker is usable; <see cref="TryAcquire"/> rations its trials). May change right after it is read.
    /// </summary>
    public bool MayTakeTraffic
    {
        get
        {
            ActiveHealth active = _activeHealth;
            bool activeAllows = active == ActiveHealth.Healthy || (active == ActiveHealth.Unknown && _usableBeforeVerdict);
            return activeAllows && !IsEjected && CircuitState != CircuitState.Open;
        }
    }

    /// <summary>The destination's outlier-detection state, or null when the cluster has none; for metrics.</summary>
    public OutlierState? Outlier { get; }

    /// <summary>The destination's circuit breaker, or null when the cluster has none; for metrics.</summary>
    public CircuitBreaker? CircuitBreaker { get; }

    internal ActiveHealthTracker? Tracker { get; }

    /// <summary>
    /// Asks to send one attempt to this destination. True with a permit to give back to <see cref="Report"/> exactly
    /// once; false when the circuit breaker refuses (open, or half-open with every trial out), and the engine should
    /// pick another destination. In panic mode an open breaker lets the attempt through untracked. Does not consult
    /// probes or ejection: those act by taking the destination out of <see cref="ClusterHealthSnapshot.Usable"/>.
    /// Lock-free and allocation-free; in a closed breaker, one volatile read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAcquire(out CircuitPermit permit)
    {
        CircuitBreaker? breaker = CircuitBreaker;
        if (breaker is null)
        {
            permit = default;
            return true;
        }

        if (breaker.TryAcquire(out permit)) return true;
        if (!_cluster.IsPanicking) return false;
        permit = default;   // panic: traffic goes to every destination, and the breaker does not count it
        return true;
    }

    /// <summary>
    /// Reports how the attempt admitted with <paramref name="permit"/> ended, once, when it is over (see
    /// <see cref="RequestOutcome"/>). Feeds the breaker and outlier detection; <see cref="RequestOutcome.Cancelled"/>
    /// feeds neither but hands a half-open trial back. Lock-free and allocation-free unless it causes a transition.
    /// </summary>
    public void Report(CircuitPermit permit, RequestOutcome outcome)
    {
        CircuitBreaker?.Record(permit, outcome);
        Outlier?.Record(outcome);
    }

    /// <summary>Sets the verdict the tracker reached. Called under the cluster's transition lock.</summary>
    internal void SetActiveHealth(ActiveHealth health) => _activeHealth = health;

    /// <inheritdoc/>
    public override string ToString() => Key;
}
