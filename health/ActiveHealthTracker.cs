namespace Proxy.Health;

/// <summary>
/// Rise/fall hysteresis over one destination's probe results: <see cref="ActiveHealth.Unknown"/> until
/// <see cref="HealthThresholds.Healthy"/> passes or <see cref="HealthThresholds.Unhealthy"/> failures in a row decide;
/// after that, the verdict flips only after that many results in a row disagree with it. A result that agrees with the
/// verdict forgets any disagreeing streak, so one flap never accumulates towards a flip (HAProxy's rise/fall).
/// </summary>
/// <remarks>Not thread-safe: one destination's results arrive one at a time, and its owner serialises them. Allocation-free.</remarks>
public sealed class ActiveHealthTracker
{
    private readonly HealthThresholds _thresholds;
    private int _passes;    // consecutive passes not yet acted on
    private int _failures;  // consecutive failures not yet acted on

    /// <summary>A tracker that starts <see cref="ActiveHealth.Unknown"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is below 1.</exception>
    public ActiveHealthTracker(HealthThresholds thresholds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds.Healthy, 1, nameof(thresholds));
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds.Unhealthy, 1, nameof(thresholds));
        _thresholds = thresholds;
    }

    /// <summary>The current verdict.</summary>
    public ActiveHealth State { get; private set; }

    /// <summary>Consecutive passes counted towards becoming healthy (0 while healthy).</summary>
    public int ConsecutivePasses => _passes;

    /// <summary>Consecutive failures counted towards becoming unhealthy (0 while unhealthy).</summary>
    public int ConsecutiveFailures => _failures;

    /// <summary>Feeds one probe result; returns true when it changed <see cref="State"/>.</summary>
    public bool Record(bool passed)
    {
        if (passed)
        {
            _failures = 0;
            if (State == ActiveHealth.Healthy) return false;
            if (++_passes < _thresholds.Healthy) return false;
            _passes = 0;
            State = ActiveHealth.Healthy;
            return true;
        }

        _passes = 0;
        if (State == ActiveHealth.Unhealthy) return false;
        if (++_failures < _thresholds.Unhealthy) return false;
        _failures = 0;
        State = ActiveHealth.Unhealthy;
        return true;
    }
}
