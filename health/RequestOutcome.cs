namespace Proxy.Health;

/// <summary>
/// How one attempt at an upstream exchange ended, as the engine reports it to health: once per attempt, when the
/// attempt is over (the response body finished, or the attempt failed). Everything health decides from traffic
/// (outlier ejection, the circuit breaker, retries) reads this and nothing of HTTP.
/// </summary>
/// <remarks>
/// Which outcomes count against a destination, which status a client gets for each and the reason written to the
/// access log are decided in one place: <see cref="RequestOutcomes"/>.
/// </remarks>
public enum RequestOutcome
{
    /// <summary>The upstream answered with a status below 500 and the exchange completed.</summary>
    Success = 0,

    /// <summary>The upstream answered with a 5xx status (the code itself is reported beside the outcome).</summary>
    Status5xx,

    /// <summary>No connection could be opened: refused, unreachable, or the address could not be resolved.</summary>
    ConnectFailure,

    /// <summary>The connection was not established within <c>connect_timeout</c>.</summary>
    ConnectTimeout,

    /// <summary>The upstream reset or closed the connection before the exchange completed.</summary>
    Reset,

    /// <summary>The upstream did not finish its response head within <c>timeouts.response_header</c> of the request.</summary>
    ResponseHeaderTimeout,

    /// <summary>No bytes moved either way for <c>timeouts.idle</c> in the middle of a body.</summary>
    IdleTimeout,

    /// <summary>The upstream's response could not be framed or parsed (a protocol violation).</summary>
    InvalidResponse,

    /// <summary>
    /// The client went away or the proxy abandoned the attempt for reasons of its own (shutdown, a retry racing it):
    /// not the upstream's fault, so it counts neither for nor against the destination.
    /// </summary>
    Cancelled,
}
