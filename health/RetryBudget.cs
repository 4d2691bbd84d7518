namespace Proxy.Health;

/// <summary>
/// Caps the retries a cluster has in flight at <c>max(budget_minimum, budget_percent% of its requests in flight)</c>, so
/// that a failing upstream sees at most that much extra load however many requests fail (the retry storm of
/// envoyproxy/envoy#9069 and #30205). A retry holds its token from the moment it is scheduled (including its backoff
/// wait) until its attempt ends.
/// </summary>
/// <remarks>
/// Thread-safety and cost: everything is lock-free and allocation-free. Counting requests in flight is one interlocked
/// add on a per-core cache line (<see cref="OnRequestStarted"/>/<see cref="OnRequestEnded"/>), so the request path does
/// not contend across cores; only <see cref="TryAcquireRetry"/>, on the failure path, sums the cores. Under concurrent
/// change the sum may be off by the requests racing it, which a percentage budget tolerates.
/// </remarks>
public sealed class RetryBudget
{
    private readonly string _cluster;
    private readonly int _percent;
    private readonly int _minimum;
    private readonly IHealthEvents _events;
    private readonly StripedCounter _activeRequests = new();
    private int _retriesInFlight;
    private int _exhausted;   // 1 from a refusal until the next grant: the exhausted event is raised once per spell
    private long _granted;
    private long _refused;

    /// <summary>A budget for <paramref name="cluster"/> (its name is used in events only) from its retry options.</summary>
    public RetryBudget(string cluster, RetryOptions options, IHealthEvents? events = null)
        : this(cluster, (options ?? throw new ArgumentNullException(nameof(options))).BudgetPercent, options.BudgetMinimum, events)
    {
    }

    /// <summary>A budget of <paramref name="budgetPercent"/> (0-100) of requests in flight, but at least <paramref name="minimum"/> retries.</summary>
    public RetryBudget(string cluster, int budgetPercent, int minimum, IHealthEvents? events = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentOutOfRangeException.ThrowIfNegative(budgetPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(budgetPercent, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(minimum);
        _cluster = cluster;
        _percent = budgetPercent;
        _minimum = minimum;
        _events = events ?? NullHealthEvents.Instance;
    }

    /// <summary>The cluster's client requests in flight, as counted by <see cref="OnRequestStarted"/>/<see cref="OnRequestEnded"/>.</summary>
    public int ActiveRequests => (int)Math.Max(0, _activeRequests.Sum());

    /// <summary>Retries holding a token now.</summary>
    public int RetriesInFlight => Volatile.Read(ref _retriesInFlight);

    /// <summary>How many retries may be in flight at the current load: <c>max(minimum, floor(active x percent / 100))</c>.</summary>
    public int AllowedRetries => (int)Math.Max(_minimum, (long)ActiveRequests * _percent / 100);

    /// <summary>Retries granted since the budget was made; for metrics.</summary>
    public long RetriesGranted => Interlocked.Read(ref _granted);

    /// <summary>Retries refused for want of budget; for metrics.</summary>
    public long RetriesRefused => Interlocked.Read(ref _refused);

    /// <summary>
    /// Call when a client request to the cluster starts (once per request, not per attempt), and
    /// <see cref="OnRequestEnded"/> when it ends. One interlocked add on this core's counter.
    /// </summary>
    public void OnRequestStarted() => _activeRequests.Add(1);

    /// <summary>Call when a request counted by <see cref="OnRequestStarted"/> ends, whatever its outcome.</summary>
    public void OnRequestEnded() => _activeRequests.Add(-1);

    /// <summary>
    /// Takes a token for one retry if the budget has room; pair a true result with exactly one
    /// <see cref="ReleaseRetry"/> when the retry's attempt ends (or is abandoned during its backoff). False means no
    /// retry: the failure goes to the client. The first refusal after a grant raises
    /// <see cref="IHealthEvents.RetryBudgetExhausted"/>; every refusal is counted.
    /// </summary>
    public bool TryAcquireRetry()
    {
        int allowed = AllowedRetries;
        int current = Volatile.Read(ref _retriesInFlight);
        while (current < allowed)
        {
            int seen = Interlocked.CompareExchange(ref _retriesInFlight, current + 1, current);
            if (seen == current)
            {
                Interlocked.Increment(ref _granted);
                if (Volatile.Read(ref _exhausted) != 0) Volatile.Write(ref _exhausted, 0);
                return true;
            }

            current = seen;
        }

        Interlocked.Increment(ref _refused);
        if (Interlocked.Exchange(ref _exhausted, 1) == 0)
        {
            _events.RetryBudgetExhausted(_cluster, current, ActiveRequests);
        }

        return false;
    }

    /// <summary>Gives back a token taken by <see cref="TryAcquireRetry"/>.</summary>
    /// <exception cref="InvalidOperationException">More releases than acquires: a bug in the caller.</exception>
    public void ReleaseRetry()
    {
        if (Interlocked.Decrement(ref _retriesInFlight) >= 0) return;
        Interlocked.Increment(ref _retriesInFlight);
        throw new InvalidOperationException("A retry token was released that was never acquired.");
    }
}
