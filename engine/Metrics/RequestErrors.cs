using Proxy.Health;

namespace Proxy.Engine.Metrics;

/// <summary>Names and classes of <see cref="RequestError"/>: one place, allocation-free.</summary>
internal static class RequestErrors
{
    /// <summary>Every value, in order; <c>Count</c> sizes per-reason arrays.</summary>
    public static readonly RequestError[] All = Enum.GetValues<RequestError>();

    public static int Count => All.Length;

    /// <summary>The snake_case name used as the metric label and in the access log; "" for <see cref="RequestError.None"/>.</summary>
    public static string NameOf(RequestError error) => error switch
    {
        RequestError.None => "",
        RequestError.NoRoute => "no_route",
        RequestError.BadRequest => "bad_request",
        RequestError.MethodNotAllowed => "method_not_allowed",
        RequestError.BodyTooLarge => "body_too_large",
        RequestError.BadRequestBody => "bad_request_body",
        RequestError.ClientGone => "client_gone",
        RequestError.NoDestination => "no_destination",
        RequestError.PoolExhausted => "pool_exhausted",
        RequestError.ConnectFailure => "connect_failure",
        RequestError.ConnectTimeout => "connect_timeout",
        RequestError.UpstreamReset => "upstream_reset",
        RequestError.ResponseHeaderTimeout => "response_header_timeout",
        RequestError.IdleTimeout => "idle_timeout",
        RequestError.InvalidResponse => "invalid_response",
        _ => "unknown",
    };

    /// <summary>
    /// Whether the proxy or the upstream failed the request (as opposed to the client): such requests are always
    /// access-logged, whatever the sample rate.
    /// </summary>
    public static bool IsServerSide(RequestError error) => error >= RequestError.NoDestination;

    /// <summary>The error for a failed upstream attempt as health reports it; <see cref="RequestError.None"/> for success and 5xx answers.</summary>
    public static RequestError From(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.ConnectFailure => RequestError.ConnectFailure,
        RequestOutcome.ConnectTimeout => RequestError.ConnectTimeout,
        RequestOutcome.Reset => RequestError.UpstreamReset,
        RequestOutcome.ResponseHeaderTimeout => RequestError.ResponseHeaderTimeout,
        RequestOutcome.IdleTimeout => RequestError.IdleTimeout,
        RequestOutcome.InvalidResponse => RequestError.InvalidResponse,
        RequestOutcome.Cancelled => RequestError.ClientGone,
        _ => RequestError.None,
    };
}
