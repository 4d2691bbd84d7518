namespace Proxy.Health;

/// <summary>
/// The one place that says what each <see cref="RequestOutcome"/> means: whether it counts against the destination,
/// which status the client gets when the proxy has to answer for the upstream, and the reason that goes to the access
/// log and metrics. Pure functions: thread-safe, allocation-free (reasons are interned constants).
/// </summary>
public static class RequestOutcomes
{
    /// <summary>
    /// Whether <paramref name="outcome"/> is the upstream's failure: it advances outlier detection and counts as a
    /// failure in the circuit breaker's window. <see cref="RequestOutcome.Success"/> and
    /// <see cref="RequestOutcome.Cancelled"/> are not; every other outcome is, including every 5xx status (as Envoy's
    /// <c>consecutive_5xx</c> does: a 501 from a server that should implement the method is still its fault).
    /// </summary>
    public static bool IsFailure(RequestOutcome outcome) =>
        outcome is not (RequestOutcome.Success or RequestOutcome.Cancelled);

    /// <summary>
    /// The status the client gets for <paramref name="outcome"/>: the upstream's own status when it answered
    /// (<paramref name="upstreamStatus"/>), otherwise the proxy's: 502 when the upstream could not be reached or broke
    /// the exchange, 504 when it was too slow, 499 (nginx's "client closed request", for the log only) when the client
    /// left. The proxy can only send this status when no byte of the response went to the client yet; after that, a
    /// failure ends the client's connection (HTTP/1.1) or stream (HTTP/2) instead.
    /// </summary>
    /// <param name="outcome">How the attempt ended.</param>
    /// <param name="upstreamStatus">The upstream's status for <see cref="RequestOutcome.Success"/> and <see cref="RequestOutcome.Status5xx"/>; ignored otherwise.</param>
    public static int StatusCodeFor(RequestOutcome outcome, int upstreamStatus = 0) => outcome switch
    {
        RequestOutcome.Success or RequestOutcome.Status5xx => upstreamStatus,
        // nginx's mapping, which operators know: unreachable or broken is 502 Bad Gateway ...
        RequestOutcome.ConnectFailure or RequestOutcome.Reset or RequestOutcome.InvalidResponse => 502,
        // ... and too slow, at any stage, is 504 Gateway Timeout.
        RequestOutcome.ConnectTimeout or RequestOutcome.ResponseHeaderTimeout or RequestOutcome.IdleTimeout => 504,
        RequestOutcome.Cancelled => 499,
        _ => 502,
    };

    /// <summary>
    /// A short snake_case reason for <paramref name="outcome"/>, for the access log and metric labels
    /// ("connect_timeout", "upstream_reset", ...). Always the same string instance per outcome.
    /// </summary>
    public static string ReasonFor(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Success => "ok",
        RequestOutcome.Status5xx => "upstream_5xx",
        RequestOutcome.ConnectFailure => "connect_failure",
        RequestOutcome.ConnectTimeout => "connect_timeout",
        RequestOutcome.Reset => "upstream_reset",
        RequestOutcome.ResponseHeaderTimeout => "response_header_timeout",
        RequestOutcome.IdleTimeout => "idle_timeout",
        RequestOutcome.InvalidResponse => "invalid_response",
        RequestOutcome.Cancelled => "cancelled",
        _ => "unknown",
    };
}
