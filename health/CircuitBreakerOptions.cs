namespace Proxy.Health;

/// <summary>
/// <c>[clusters.circuit_breaker]</c>: one breaker per destination, with the defaults of config-reference.toml.
/// A plain immutable record; <see cref="Validate"/> says what is wrong with it.
/// </summary>
public sealed record CircuitBreakerOptions
{
    /// <summary>Most trial requests accepted for <see cref="HalfOpenRequests"/>: trials are a sample, not traffic.</summary>
    public const int MaxHalfOpenRequests = 100;

    /// <summary><c>failure_ratio</c> (above 0, at most 1): the breaker opens when at least this share of the window failed.</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary><c>minimum_requests</c>: fewer requests than this in the window never open the breaker.</summary>
    public int MinimumRequests { get; init; } = 20;

    /// <summary><c>window</c>: how far back outcomes count, in ten buckets of a tenth each.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>open_for</c>: how long an open breaker refuses everything before it lets trials through (half-open).</summary>
    public TimeSpan OpenFor { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>half_open_requests</c> (default 3): trial requests a half-open breaker lets through at once; when all of them
    /// succeed it closes, when any fails it opens again.
    /// </summary>
    public int HalfOpenRequests { get; init; } = 3;

    /// <summary>Every problem with these options, each a plain sentence; empty when they can be used. Keys are relative to <c>[clusters.circuit_breaker]</c>.</summary>
    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        if (!(FailureRatio > 0 && FailureRatio <= 1))
        {
            errors.Add(new("failure_ratio", $"must be above 0 and at most 1 (it is {FailureRatio})."));
        }

        if (MinimumRequests < 1)
        {
            errors.Add(new("minimum_requests", $"must be at least 1 (it is {MinimumRequests})."));
        }

        if (Window < TimeSpan.FromMilliseconds(10))
        {
            errors.Add(new("window", "must be at least 10ms."));
        }

        if (OpenFor <= TimeSpan.Zero)
        {
            errors.Add(new("open_for", "must be longer than zero."));
        }

        if (HalfOpenRequests is < 1 or > MaxHalfOpenRequests)
        {
            errors.Add(new("half_open_requests", $"must be between 1 and {MaxHalfOpenRequests} (it is {HalfOpenRequests})."));
        }

        return errors;
    }
}
