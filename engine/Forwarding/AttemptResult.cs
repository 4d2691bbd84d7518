using Proxy.Engine.Metrics;
using Proxy.Health;

namespace Proxy.Engine.Forwarding;

/// <summary>How one attempt at an upstream ended.</summary>
/// <param name="Answered">The client has its answer (complete, partial, or one of ours), or is gone: no retry.</param>
/// <param name="Exchange">When answered: what the connection loop needs.</param>
/// <param name="Outcome">What health hears about the destination.</param>
/// <param name="Status">The upstream's status when it sent one.</param>
/// <param name="Error">What the access log and metrics say went wrong; None for a complete upstream answer.</param>
/// <param name="BodyBytesSent">Request body bytes that reached the upstream during this attempt.</param>
/// <param name="RetryDelay">When not answered and a retry is already scheduled (a 5xx dropped for one): the backoff.</param>
internal readonly record struct AttemptResult(bool Answered, ExchangeOutcome Exchange, RequestOutcome Outcome, int Status,
    RequestError Error, long BodyBytesSent, TimeSpan? RetryDelay)
{
    public static AttemptResult Done(ExchangeOutcome exchange, RequestOutcome outcome, RequestError error = RequestError.None) =>
        new(true, exchange, outcome, exchange.Status, error, 0, null);

    public static AttemptResult Failed(RequestOutcome outcome, long bodyBytesSent, int status = 0) =>
        new(false, default, outcome, status, RequestErrors.From(outcome), bodyBytesSent, null);
}
