using System.Text.Json;
using Prometheus;

namespace Proxy.Engine.Metrics;

/// <summary>The metrics of one cluster: retries, retry budget, panic mode. Thread-safe and allocation-free to update.</summary>
internal sealed class ClusterMetrics
{
    private readonly Counter.Child _retries;
    private readonly Counter.Child _budgetExhausted;
    private readonly Gauge.Child _panic;
    private readonly Counter.Child _panicActivations;

    internal ClusterMetrics(MetricFamilies families, string name)
    {
        Name = name;
        JsonName = JsonEncodedText.Encode(name);
        _retries = families.Retries.WithLabels(name);
        _budgetExhausted = families.RetryBudgetExhausted.WithLabels(name);
        _panic = families.Panic.WithLabels(name);
        _panicActivations = families.PanicActivations.WithLabels(name);
    }

    public string Name { get; }

    /// <summary>The name, JSON-escaped once, for the access log.</summary>
    public JsonEncodedText JsonName { get; }

    public void CountRetries(int retries) => _retries.Inc(retries);

    public void RetryBudgetExhausted() => _budgetExhausted.Inc();

    public void PanicChanged(bool active)
    {
        _panic.Set(active ? 1 : 0);
        if (active) _panicActivations.Inc();
    }

    internal void Remove()
    {
        _retries.Remove();
        _budgetExhausted.Remove();
        _panic.Remove();
        _panicActivations.Remove();
    }

    public override string ToString() => Name;
}
