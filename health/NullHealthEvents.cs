namespace Proxy.Health;

/// <summary>An <see cref="IHealthEvents"/> that ignores everything: the default when nobody listens. Stateless and thread-safe.</summary>
public sealed class NullHealthEvents : IHealthEvents
{
    private NullHealthEvents()
    {
    }

    /// <summary>The one instance.</summary>
    public static NullHealthEvents Instance { get; } = new();

    /// <inheritdoc/>
    public void ActiveHealthChanged(string cluster, string destination, ActiveHealth previous, ActiveHealth current, ProbeResult lastProbe)
    {
    }

    /// <inheritdoc/>
    public void DestinationEjected(string cluster, string destination, TimeSpan duration, int ejectionCount)
    {
    }

    /// <inheritdoc/>
    public void DestinationRestored(string cluster, string destination)
    {
    }

    /// <inheritdoc/>
    public void CircuitStateChanged(string cluster, string destination, CircuitState previous, CircuitState current)
    {
    }

    /// <inheritdoc/>
    public void PanicChanged(string cluster, bool active)
    {
    }

    /// <inheritdoc/>
    public void RetryBudgetExhausted(string cluster, int retriesInFlight, int activeRequests)
    {
    }
}
