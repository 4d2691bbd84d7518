using Microsoft.Extensions.Logging;
using Proxy.Health.Tests.Fakes;

namespace Proxy.Health.Tests;

public class LoggingHealthEventsTests
{
    private readonly ListLogger _logger = new();
    private readonly RecordingHealthEvents _next = new();

    [Fact]
    public void DestinationEjected_LogsWarningOnceAndForwards()
    {
        var events = new LoggingHealthEvents(_logger, _next);

        events.DestinationEjected("api", "a:1", TimeSpan.FromSeconds(60), 2);

        var (level, message) = Assert.Single(_logger.Lines);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal("Cluster api: destination a:1 ejected for 60s (ejection multiplier 2) after consecutive failures", message);
        Assert.Equal(["ejected api a:1 60s x2"], _next.Lines);
    }

    [Fact]
    public void PanicChanged_OnIsErrorOffIsInformation()
    {
        var events = new LoggingHealthEvents(_logger, _next);

        events.PanicChanged("api", active: true);
        events.PanicChanged("api", active: false);

        Assert.Equal([LogLevel.Error, LogLevel.Information], _logger.Lines.Select(l => l.Level));
        Assert.Equal(["panic api on", "panic api off"], _next.Lines);
    }

    [Fact]
    public void ActiveHealthChanged_UnhealthyIsWarningWithLastProbe()
    {
        var events = new LoggingHealthEvents(_logger);

        events.ActiveHealthChanged("api", "a:1", ActiveHealth.Healthy, ActiveHealth.Unhealthy, ProbeResult.Failed(RequestOutcome.ConnectFailure));
        events.ActiveHealthChanged("api", "a:1", ActiveHealth.Unhealthy, ActiveHealth.Healthy, ProbeResult.Responded(200));

        Assert.Equal(
            [
                (LogLevel.Warning, "Cluster api: destination a:1 is unhealthy (was Healthy); last probe: connect_failure"),
                (LogLevel.Information, "Cluster api: destination a:1 is Healthy (was Unhealthy); last probe: status 200"),
            ],
            _logger.Lines);
    }

    [Fact]
    public void CircuitStateChanged_OpenedIsWarningOthersInformation()
    {
        var events = new LoggingHealthEvents(_logger, _next);

        events.CircuitStateChanged("api", "a:1", CircuitState.Closed, CircuitState.Open);
        events.CircuitStateChanged("api", "a:1", CircuitState.Open, CircuitState.HalfOpen);
        events.CircuitStateChanged("api", "a:1", CircuitState.HalfOpen, CircuitState.Closed);

        Assert.Equal([LogLevel.Warning, LogLevel.Information, LogLevel.Information], _logger.Lines.Select(l => l.Level));
        Assert.Equal(3, _next.Count("circuit"));
    }

    [Fact]
    public void RestoredAndBudgetExhausted_LoggedAndForwarded()
    {
        var events = new LoggingHealthEvents(_logger, _next);

        events.DestinationRestored("api", "a:1");
        events.RetryBudgetExhausted("api", 3, 10);

        Assert.Equal([LogLevel.Information, LogLevel.Warning], _logger.Lines.Select(l => l.Level));
        Assert.Equal(["restored api a:1", "budget api 3/10"], _next.Lines);
    }

    [Fact]
    public void Events_LevelDisabled_NothingLoggedStillForwarded()
    {
        var events = new LoggingHealthEvents(new ListLogger(LogLevel.None), _next);

        events.DestinationRestored("api", "a:1");

        Assert.Equal(["restored api a:1"], _next.Lines);
    }

    private sealed class ListLogger(LogLevel minimum = LogLevel.Trace) : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
