namespace Proxy.Engine.Metrics;

/// <summary>
/// Why a request did not get an upstream's complete answer, for metrics (<c>reason</c> label) and the access log
/// (<c>error</c>). The upstream reasons mirror <see cref="Proxy.Health.RequestOutcome"/> and carry the same names as
/// <see cref="Proxy.Health.RequestOutcomes.ReasonFor"/>.
/// </summary>
internal enum RequestError : byte
{
    /// <summary>No error: the client got the upstream's answer (whatever its status).</summary>
    None = 0,

    // The client's doing (4xx, or 499): sampled in the access log like successes.

    /// <summary>No route took the request (404).</summary>
    NoRoute,
    /// <summary>The request head was malformed or over a limit (400, 414, 431, 501, 505).</summary>
    BadRequest,
    /// <summary>The method is not one the proxy forwards (CONNECT: 405).</summary>
    MethodNotAllowed,
    /// <summary>The request body was over <c>max_request_body</c> (413).</summary>
    BodyTooLarge,
    /// <summary>The request body's framing was broken mid-stream (400).</summary>
    BadRequestBody,
    /// <summary>The client went away before the response was complete (499).</summary>
    ClientGone,

    // The proxy's or the upstream's doing (502, 503, 504): always logged.

    /// <summary>The cluster had no destination that may take traffic (503).</summary>
    NoDestination,
    /// <summary>The destination's pool was at <c>max_connections</c> for <c>connect_timeout</c> (503).</summary>
    PoolExhausted,
    /// <summary>No connection could be opened (502).</summary>
    ConnectFailure,
    /// <summary>The connection was not established within <c>connect_timeout</c> (504).</summary>
    ConnectTimeout,
    /// <summary>The upstream closed or reset the connection before the exchange completed (502).</summary>
    UpstreamReset,
    /// <summary>No response head within <c>timeouts.response_header</c> (504).</summary>
    ResponseHeaderTimeout,
    /// <summary>No bytes either way for <c>timeouts.idle</c> mid-body (504, or a cut connection).</summary>
    IdleTimeout,
    /// <summary>The upstream's response could not be parsed or framed (502).</summary>
    InvalidResponse,
}
