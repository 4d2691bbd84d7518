using Microsoft.Extensions.Logging;

namespace Proxy.Health;

/// <summary>
/// Logs each health state change once, then hands it to the next listener (the metrics, say), so one instance both
/// logs and counts. Losing or finding health is a warning or information; a cluster in panic is an error, since every
/// request is then going to destinations known to be bad. Thread-safe when <paramref name="logger"/> and
/// <paramref name="next"/> are; messages are source-generated and skipped cheaply when their level is off.
/// </summary>
/// <param name="logger">Where the lines go.</param>
/// <param name="next">Who hears the change next; <see cref="NullHealthEvents"/> when null.</param>
public sealed partial class LoggingHealthEvents(ILogger logger, IHealthEvents? next = null) : IHealthEvents
{
    private readonly ILogger _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    private readonly IHealthEvents _next = next ?? NullHealthEvents.Instance;

    /// <inheritdoc/>
    public void ActiveHealthChanged(string cluster, string destination, ActiveHealth previous, ActiveHealth current, ProbeResult lastProbe)
    {
        if (current == ActiveHealth.Unhealthy) LogUnhealthy(_logger, cluster, destination, previous, lastProbe);
        else LogActiveHealth(_logger, cluster, destination, previous, current, lastProbe);
        _next.ActiveHealthChanged(cluster, destination, previous, current, lastProbe);
    }

    /// <inheritdoc/>
    public void DestinationEjected(string cluster, string destination, TimeSpan duration, int ejectionCount)
    {
        LogEjected(_logger, cluster, destination, duration.TotalSeconds, ejectionCount);
        _next.DestinationEjected(cluster, destination, duration, ejectionCount);
    }

    /// <inheritdoc/>
    public void DestinationRestored(string cluster, string destination)
    {
        LogRestored(_logger, cluster, destination);
        _next.DestinationRestored(cluster, destination);
    }

    /// <inheritdoc/>
    public void CircuitStateChanged(string cluster, string destination, CircuitState previous, CircuitState current)
    {
        if (current == CircuitState.Open) LogCircuitOpened(_logger, cluster, destination, previous);
        else LogCircuitState(_logger, cluster, destination, previous, current);
        _next.CircuitStateChanged(cluster, destination, previous, current);
    }

    /// <inheritdoc/>
    public void PanicChanged(string cluster, bool active)
    {
        if (active) LogPanicStarted(_logger, cluster);
        else LogPanicEnded(_logger, cluster);
        _next.PanicChanged(cluster, active);
    }

    /// <inheritdoc/>
    public void RetryBudgetExhausted(string cluster, int retriesInFlight, int activeRequests)
    {
        LogBudgetExhausted(_logger, cluster, retriesInFlight, activeRequests);
        _next.RetryBudgetExhausted(cluster, retriesInFlight, activeRequests);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Cluster {Cluster}: destination {Destination} is unhealthy (was {Previous}); last probe: {LastProbe}")]
    private static partial void LogUnhealthy(ILogger logger, string cluster, string destination, ActiveHealth previous, ProbeResult lastProbe);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Cluster {Cluster}: destination {Destination} is {Current} (was {Previous}); last probe: {LastProbe}")]
    private static partial void LogActiveHealth(ILogger logger, string cluster, string destination, ActiveHealth previous, ActiveHealth current, ProbeResult lastProbe);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Cluster {Cluster}: destination {Destination} ejected for {Seconds}s (ejection multiplier {Multiplier}) after consecutive failures")]
    private static partial void LogEjected(ILogger logger, string cluster, string destination, double seconds, int multiplier);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Cluster {Cluster}: destination {Destination} restored after ejection")]
    private static partial void LogRestored(ILogger logger, string cluster, string destination);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Cluster {Cluster}: circuit breaker of {Destination} opened (was {Previous})")]
    private static partial void LogCircuitOpened(ILogger logger, string cluster, string destination, CircuitState previous);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Cluster {Cluster}: circuit breaker of {Destination} is {Current} (was {Previous})")]
    private static partial void LogCircuitState(ILogger logger, string cluster, string destination, CircuitState previous, CircuitState current);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Cluster {Cluster}: panic mode on: no destination is usable, so traffic goes to all of them")]
    private static partial void LogPanicStarted(ILogger logger, string cluster);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Cluster {Cluster}: panic mode off: some destinations are usable again")]
    private static partial void LogPanicEnded(ILogger logger, string cluster);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Cluster {Cluster}: retry budget exhausted ({RetriesInFlight} retries in flight for {ActiveRequests} requests); failures go to clients unretried")]
    private static partial void LogBudgetExhausted(ILogger logger, string cluster, int retriesInFlight, int activeRequests);
}
