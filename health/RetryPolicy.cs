namespace Proxy.Health;

/// <summary>
/// Decides whether a failed attempt is tried again, and after how long: at most <see cref="RetryOptions.Attempts"/>
/// retries, only for outcomes in <see cref="RetryOptions.On"/>, only while nothing of the response went to the client,
/// only when the request body can be sent again (none of it went upstream, or all of it was kept within
/// <see cref="RetryOptions.MaxReplayBody"/>), only for idempotent methods unless the upstream cannot have seen the
/// request (connect failure or timeout) or <see cref="RetryOptions.RetryNonIdempotent"/> allows it, and only within
/// the cluster's <see cref="RetryBudget"/>. Waits follow <see cref="ExponentialBackoff"/>.
/// </summary>
/// <remarks>
/// A retry should go to another destination when the cluster has one usable that this request has not tried: the
/// engine excludes tried destinations from its pick, since the balancer alone may pick the failed one again.
/// Immutable apart from its jitter source; thread-safe and allocation-free.
/// </remarks>
public sealed class RetryPolicy
{
    private readonly RetryOptions _options;
    private readonly IJitterSource _jitter;

    /// <summary>A policy from <paramref name="options"/>; <paramref name="jitter"/> defaults to <see cref="SharedJitterSource"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> do not validate.</exception>
    public RetryPolicy(RetryOptions options, IJitterSource? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<OptionError> errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid retry options: " + string.Join(" ", errors), nameof(options));
        _options = options;
        _jitter = jitter ?? SharedJitterSource.Instance;
    }

    /// <summary>The most retries one request gets (<c>attempts</c>).</summary>
    public int MaxRetries => _options.Attempts;

    /// <summary>The largest request body the engine should keep while sending it, so that it can be replayed (<c>max_replay_body</c>).</summary>
    public long MaxReplayBody => _options.MaxReplayBody;

    /// <summary>Everything but the budget: whether <paramref name="attempt"/> may be retried. Pure; allocation-free.</summary>
    public RetryVerdict Evaluate(in FailedAttempt attempt)
    {
        if (attempt.ResponseStarted) return RetryVerdict.ResponseStarted;
        if (attempt.AttemptNumber > _options.Attempts) return RetryVerdict.AttemptsExhausted;
        if (!_options.On.Matches(attempt.Outcome, attempt.StatusCode)) return RetryVerdict.OutcomeNotRetryable;

        // A connection that never opened carried no request, so even a POST is safe to send again (HAProxy's conn-failure).
        bool upstreamCannotHaveSeen = attempt.Outcome is RequestOutcome.ConnectFailure or RequestOutcome.ConnectTimeout;
        if (!attempt.IsIdempotent && !_options.RetryNonIdempotent && !upstreamCannotHaveSeen) return RetryVerdict.NotIdempotent;
        if (attempt.RequestBodyBytesSent > 0 && !attempt.RequestBodyRetained) return RetryVerdict.BodyNotReplayable;
        return RetryVerdict.Retry;
    }

    /// <summary>
    /// Decides on a retry of <paramref name="attempt"/> and, when the answer is <see cref="RetryVerdict.Retry"/>, takes a
    /// token from <paramref name="budget"/> (give it back with <see cref="RetryBudget.ReleaseRetry"/> when the retry's
    /// attempt ends, or if it is abandoned during the wait) and sets <paramref name="delay"/> to the backoff to wait
    /// first. Lock-free and allocation-free.
    /// </summary>
    public RetryVerdict TrySchedule(in FailedAttempt attempt, RetryBudget budget, out TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(budget);
        delay = TimeSpan.Zero;
        RetryVerdict verdict = Evaluate(attempt);
        if (verdict != RetryVerdict.Retry) return verdict;
        if (!budget.TryAcquireRetry()) return RetryVerdict.BudgetExhausted;
        delay = BackoffFor(attempt.AttemptNumber);
        return RetryVerdict.Retry;
    }

    /// <summary>The wait before retry <paramref name="retryNumber"/> (1 for the first), with fresh jitter.</summary>
    public TimeSpan BackoffFor(int retryNumber) =>
        ExponentialBackoff.Delay(_options.Backoff, _options.EffectiveMaxBackoff, retryNumber, _jitter.NextDouble());
}
