namespace Proxy.Health;

/// <summary>Whether a failed attempt is tried again, and if not, why not (for the access log and metrics).</summary>
public enum RetryVerdict
{
    /// <summary>Try again, preferably on another destination.</summary>
    Retry = 0,

    /// <summary>Part of the response already went to the client: the exchange cannot be replayed.</summary>
    ResponseStarted,

    /// <summary>The request already had <c>attempts</c> retries.</summary>
    AttemptsExhausted,

    /// <summary>The outcome is not in the <c>on</c> list.</summary>
    OutcomeNotRetryable,

    /// <summary>The method is not idempotent, the upstream may have seen the request, and the route does not allow more.</summary>
    NotIdempotent,

    /// <summary>Part of the request body went upstream and was not kept (larger than <c>max_replay_body</c>).</summary>
    BodyNotReplayable,

    /// <summary>Everything allowed a retry but the retry budget had no room.</summary>
    BudgetExhausted,
}
