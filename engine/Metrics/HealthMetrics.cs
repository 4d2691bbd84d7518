using Proxy.Health;

namespace Proxy.Engine.Metrics;

/// <summary>
/// Health's state changes as metrics: hand it to health as its <see cref="IHealthEvents"/> (behind
/// <see cref="LoggingHealthEvents"/> to both log and count). Each event is a dictionary lookup of a configured name
/// and a gauge or counter update: quick, non-blocking, never throws. Events naming a cluster or destination the
/// metrics do not know (one a reload just removed) are ignored, so they cannot bring back removed series.
/// </summary>
internal sealed class HealthMetrics(ProxyMetrics metrics) : IHealthEvents
{
    public void ActiveHealthChanged(string cluster, string destination, ActiveHealth previous, ActiveHealth current, ProbeResult lastProbe) =>
        metrics.FindDestination(cluster, destination)?.SetActiveHealth(current);

    public void DestinationEjected(string cluster, string destination, TimeSpan duration, int ejectionCount) =>
        metrics.FindDestination(cluster, destination)?.Ejected();

    public void DestinationRestored(string cluster, string destination) =>
        metrics.FindDestination(cluster, destination)?.Restored();

    public void CircuitStateChanged(string cluster, string destination, CircuitState previous, CircuitState current) =>
        metrics.FindDestination(cluster, destination)?.SetCircuitState(current);

    public void PanicChanged(string cluster, bool active) => metrics.FindCluster(cluster)?.PanicChanged(active);

    public void RetryBudgetExhausted(string cluster, int retriesInFlight, int activeRequests) =>
        metrics.FindCluster(cluster)?.RetryBudgetExhausted();
}
