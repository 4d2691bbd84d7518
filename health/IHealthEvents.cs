namespace Proxy.Health;

/// <summary>
/// State changes of health, for logs and metrics: each change is raised exactly once, by the thread that made it.
/// Changes of a <see cref="ClusterHealth"/> are raised while its transition lock is held, so they arrive in the order
/// they happened; <see cref="RetryBudgetExhausted"/> is raised lock-free. Implementations must be quick, must not block
/// or throw, and must not call back into health's mutating members.
/// <see cref="NullHealthEvents"/> ignores everything; <see cref="LoggingHealthEvents"/> logs and forwards.
/// </summary>
public interface IHealthEvents
{
    /// <summary>Active probing changed a destination's verdict; <paramref name="lastProbe"/> is the probe that tipped it.</summary>
    void ActiveHealthChanged(string cluster, string destination, ActiveHealth previous, ActiveHealth current, ProbeResult lastProbe);

    /// <summary>Outlier detection ejected a destination for <paramref name="duration"/>; <paramref name="ejectionCount"/> is its ejection multiplier (1 for a first ejection).</summary>
    void DestinationEjected(string cluster, string destination, TimeSpan duration, int ejectionCount);

    /// <summary>A destination's ejection ended.</summary>
    void DestinationRestored(string cluster, string destination);

    /// <summary>A destination's circuit breaker moved from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    void CircuitStateChanged(string cluster, string destination, CircuitState previous, CircuitState current);

    /// <summary>Panic mode began (<paramref name="active"/> true: no destination was usable, so all are used) or ended.</summary>
    void PanicChanged(string cluster, bool active);

    /// <summary>
    /// The retry budget refused a retry after having granted the previous one: raised once per exhausted spell, not
    /// per refusal (those are counted in <see cref="RetryBudget.RetriesRefused"/>).
    /// </summary>
    void RetryBudgetExhausted(string cluster, int retriesInFlight, int activeRequests);
}
