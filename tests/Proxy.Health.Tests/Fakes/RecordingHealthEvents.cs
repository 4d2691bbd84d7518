namespace Proxy.Health.Tests.Fakes;

/// <summary>Writes every event as one line ("ejected api a:1 30s x1"), so tests assert on exact sequences. Thread-safe.</summary>
internal sealed class RecordingHealthEvents : IHealthEvents
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines) return [.. _lines];
        }
    }

    public int Count(string prefix) => Lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    public void Clear()
    {
        lock (_lines) _lines.Clear();
    }

    public void ActiveHealthChanged(string cluster, string destination, ActiveHealth previous, ActiveHealth current, ProbeResult lastProbe) =>
        Add($"active {cluster} {destination} {previous}->{current} ({lastProbe})");

    public void DestinationEjected(string cluster, string destination, TimeSpan duration, int ejectionCount) =>
        Add($"ejected {cluster} {destination} {duration.TotalSeconds}s x{ejectionCount}");

    public void DestinationRestored(string cluster, string destination) => Add($"restored {cluster} {destination}");

    public void CircuitStateChanged(string cluster, string destination, CircuitState previous, CircuitState current) =>
        Add($"circuit {cluster} {destination} {previous}->{current}");

    public void PanicChanged(string cluster, bool active) => Add($"panic {cluster} {(active ? "on" : "off")}");

    public void RetryBudgetExhausted(string cluster, int retriesInFlight, int activeRequests) =>
        Add($"budget {cluster} {retriesInFlight}/{activeRequests}");

    private void Add(string line)
    {
        lock (_lines) _lines.Add(line);
    }
}
