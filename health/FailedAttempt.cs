namespace Proxy.Health;

/// <summary>
/// What the engine knows about an attempt that just failed, for <see cref="RetryPolicy"/> to decide on a retry. No HTTP
/// types: the engine answers the HTTP questions (is the method idempotent, how much body went out) beforehand.
/// </summary>
/// <param name="AttemptNumber">1 for the first try, 2 for the first retry, and so on.</param>
/// <param name="Outcome">How the attempt ended.</param>
/// <param name="StatusCode">The upstream's status for <see cref="RequestOutcome.Status5xx"/>; otherwise ignored.</param>
/// <param name="IsIdempotent">The method is idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE; RFC 9110 §9.2.2).</param>
/// <param name="RequestBodyBytesSent">Bytes of the request body written upstream during this attempt.</param>
/// <param name="RequestBodyRetained">The engine still holds every byte of the body it sent (the body fit in <c>max_replay_body</c>), so it can send it again.</param>
/// <param name="ResponseStarted">Some of the response already went to the client.</param>
public readonly record struct FailedAttempt(
    int AttemptNumber,
    RequestOutcome Outcome,
    int StatusCode,
    bool IsIdempotent,
    long RequestBodyBytesSent,
    bool RequestBodyRetained,
    bool ResponseStarted);
