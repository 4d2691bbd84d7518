namespace Proxy.Health;

/// <summary>
/// Everything that decides whether a cluster's destinations may take traffic: <c>[clusters.health]</c> and
/// <c>[clusters.circuit_breaker]</c>. A part left null is off. A plain immutable record.
/// </summary>
public sealed record ClusterHealthOptions
{
    /// <summary><c>health.active</c>: probes; null for none (every destination then counts as healthy).</summary>
    public ActiveHealthOptions? Active { get; init; }

    /// <summary><c>health.passive</c>: outlier ejection from live traffic; null for none.</summary>
    public PassiveHealthOptions? Passive { get; init; }

    /// <summary><c>[clusters.circuit_breaker]</c>: one breaker per destination; null for none.</summary>
    public CircuitBreakerOptions? CircuitBreaker { get; init; }

    /// <summary>
    /// <c>health.panic_mode</c> (default true): when no destination may take traffic, send traffic to all of them
    /// rather than answer 503 to everyone (Envoy's panic threshold, at 0%).
    /// </summary>
    public bool PanicMode { get; init; } = true;

    /// <summary>
    /// Every problem with every part, each a plain sentence, with keys relative to the cluster:
    /// <c>health.active.interval</c>, <c>health.passive.ejection_time</c>, <c>circuit_breaker.window</c>.
    /// </summary>
    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        Add(errors, "health.active.", Active?.Validate());
        Add(errors, "health.passive.", Passive?.Validate());
        Add(errors, "circuit_breaker.", CircuitBreaker?.Validate());
        return errors;
    }

    private static void Add(List<OptionError> errors, string prefix, IReadOnlyList<OptionError>? found)
    {
        if (found is null) return;
        foreach (OptionError error in found)
        {
            errors.Add(error with { Key = prefix + error.Key });
        }
    }
}
