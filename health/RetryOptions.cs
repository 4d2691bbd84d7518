namespace Proxy.Health;

/// <summary>
/// <c>[clusters.retry]</c>: when a failed attempt is tried again, with the defaults of config-reference.toml.
/// A plain immutable record; <see cref="Validate"/> says what is wrong with it.
/// </summary>
public sealed record RetryOptions
{
    /// <summary>Most extra attempts accepted for <see cref="Attempts"/>.</summary>
    public const int MaxAttempts = 10;

    /// <summary><c>attempts</c> (0-10): extra tries after the first; 0 turns retries off.</summary>
    public int Attempts { get; init; } = 2;

    /// <summary><c>backoff</c>: the base of the exponential backoff; retry n waits a random time below backoff x 2^(n-1).</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary><c>max_backoff</c>: the most any retry waits. Absent: ten times <see cref="Backoff"/> (Envoy's default).</summary>
    public TimeSpan? MaxBackoff { get; init; }

    /// <summary>The cap actually applied: <see cref="MaxBackoff"/>, or its default.</summary>
    public TimeSpan EffectiveMaxBackoff => MaxBackoff ?? Backoff * 10;

    /// <summary>
    /// <c>budget_percent</c> (0-100): retries in flight may be at most this share of the cluster's requests in flight,
    /// so a failing upstream sees at most that much extra load (envoyproxy/envoy#9069).
    /// </summary>
    public int BudgetPercent { get; init; } = 20;

    /// <summary>
    /// <c>budget_minimum</c> (default 3): retries that may be in flight whatever the load, so that a quiet cluster can
    /// retry at all (Envoy's <c>min_retry_concurrency</c>).
    /// </summary>
    public int BudgetMinimum { get; init; } = 3;

    /// <summary><c>on</c>: the outcomes that may be retried.</summary>
    public RetryConditions On { get; init; } = RetryConditions.Default;

    /// <summary>
    /// <c>max_replay_body</c> (bytes, default 64 KiB): a request body up to this size is kept while it is sent, so that
    /// a retry can send it again; a larger body, once its first byte went upstream, makes the request unretryable.
    /// </summary>
    public long MaxReplayBody { get; init; } = 64 * 1024;

    /// <summary>
    /// <c>retry_non_idempotent</c> (default false): retry POST, PATCH and the like after the upstream may have seen
    /// them. Without it they are retried only when the upstream cannot have seen them (connect failure or timeout).
    /// A route may turn it on for itself.
    /// </summary>
    public bool RetryNonIdempotent { get; init; }

    /// <summary>Every problem with these options, each a plain sentence; empty when they can be used. Keys are relative to <c>[clusters.retry]</c>.</summary>
    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        if (Attempts is < 0 or > MaxAttempts)
        {
            errors.Add(new("attempts", $"must be between 0 and {MaxAttempts} (it is {Attempts})."));
        }

        if (Backoff < TimeSpan.Zero)
        {
            errors.Add(new("backoff", "must not be negative."));
        }

        if (MaxBackoff is { } max && max < Backoff)
        {
            errors.Add(new("max_backoff", $"must not be shorter than backoff ({Backoff.TotalMilliseconds:0}ms)."));
        }

        if (BudgetPercent is < 0 or > 100)
        {
            errors.Add(new("budget_percent", $"must be between 0 and 100 (it is {BudgetPercent})."));
        }

        if (BudgetMinimum < 0)
        {
            errors.Add(new("budget_minimum", $"must not be negative (it is {BudgetMinimum})."));
        }

        if (On is null)
        {
            errors.Add(new("on", "must be a list, such as [\"connect_failure\", \"reset\"]."));
        }

        if (MaxReplayBody < 0)
        {
            errors.Add(new("max_replay_body", "must not be negative."));
        }

        return errors;
    }
}
