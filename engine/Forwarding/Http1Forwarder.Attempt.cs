using System.Diagnostics;
using System.Runtime.CompilerServices;
using Proxy.Engine.Async;
using Proxy.Engine.Metrics;
using Proxy.Engine.Routing;
using Proxy.Engine.Server;
using Proxy.Engine.Timeouts;
using Proxy.Engine.Upstreams;
using Proxy.Health;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

internal sealed partial class Http1Forwarder
{
    /// <summary>An attempt on <paramref name="destination"/> starts at <paramref name="started"/>: recorded, and counted in flight.</summary>
    private void BeginAttempt(Destination destination, long started)
    {
        RecordDestination = destination.Metrics;
        if (UpstreamStartTimestamp == 0) UpstreamStartTimestamp = started;
        UpstreamHeadersTimestamp = 0;
        destination.State.OnRequestStart();
    }

    /// <summary>
    /// An attempt ends, however: balancers learn the time to the response head (what peak_ewma compares) and stop
    /// counting it in flight (what least_conn compares), and health gets its outcome.
    /// </summary>
    private void EndAttempt(in PickedDestination picked, long started, RequestOutcome outcome)
    {
        long ended = Stopwatch.GetTimestamp();
        long headTime = (UpstreamHeadersTimestamp != 0 ? UpstreamHeadersTimestamp : ended) - started;
        picked.Destination.State.OnRequestEnd(headTime, ended);
        picked.Health.Report(picked.Permit, outcome);
        _upstream = null;
    }

    /// <summary>The exchange with one destination, on a pooled connection (or two, when a reused one turns out stale).</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<AttemptResult> ExchangeAsync(RequestHead request, ClientLimits limits, Cluster cluster,
        Destination destination, int attempt)
    {
        var (status, upstream) = await destination.Pool.AcquireAsync().ConfigureAwait(false);
        for (bool staleRetried = false; ; staleRetried = true)
        {
            if (status != AcquireStatus.Acquired || upstream is null) return await NoConnectionAsync(request, status).ConfigureAwait(false);

            Volatile.Write(ref _upstream, upstream);
            bool reused = upstream.RequestCount > 0;
            RequestSendResult sent = await SendRequestAsync(upstream, request, limits, cluster).ConfigureAwait(false);
            long bodySent = !HasBody(request) ? 0 : _replay is not null ? _replayLength : _copier.BytesCopied;
            if (_replay is null) RecordBodyBytesReceived = bodySent;
            switch (sent)
            {
                case RequestSendResult.ClientFailed:
                    destination.Pool.Release(upstream, reusable: false);
                    return AttemptResult.Done(ExchangeOutcome.ClientGone, RequestOutcome.Cancelled, RequestError.ClientGone);
                case RequestSendResult.ClientBodyInvalid:
                    destination.Pool.Release(upstream, reusable: false);
                    return AttemptResult.Done(await _client.AnswerAsync(400, close: true).ConfigureAwait(false),
                        RequestOutcome.Cancelled, RequestError.BadRequestBody);
                case RequestSendResult.BodyTooLarge:
                    // Found out midway through a chunked body, part of which the upstream already has: that
                    // connection holds half a request and is closed; so is the client's, whose body we stop reading.
                    destination.Pool.Release(upstream, reusable: false);
                    return AttemptResult.Done(await RejectAsync(RejectReason.BodyTooLarge).ConfigureAwait(false),
                        RequestOutcome.Cancelled, RequestError.BodyTooLarge);
            }
            bool requestComplete = sent == RequestSendResult.Sent;
            if (requestComplete && _replay is null) _clientBodyRead = true;

            ResponseHead response = _server.ResponseHeads.Get();
            try
            {
                (ResponseHeadResult received, bool receivedAny) =
                    await ReceiveResponseHeadAsync(upstream, request, response, cluster).ConfigureAwait(false);
                switch (received)
                {
                    case ResponseHeadResult.Received:
                        UpstreamHeadersTimestamp = Stopwatch.GetTimestamp();
                        if (response.StatusCode >= 500 && !_sentInterim &&
                            TryScheduleRetryOf5xx(request, cluster.Runtime, response.StatusCode, attempt, bodySent, out TimeSpan backoff))
                        {
                            // Its body is not read: the connection cannot carry another request.
                            destination.Pool.Release(upstream, reusable: false);
                            return new AttemptResult(false, default, RequestOutcome.Status5xx, response.StatusCode,
                                RequestError.None, bodySent, backoff);
                        }
                        return await RelayResponseAsync(upstream, request, response, requestComplete, cluster).ConfigureAwait(false);

                    case ResponseHeadResult.UpstreamClosed when reused && !receivedAny && !staleRetried && requestComplete
                                                                 && (_replay is not null || !HasBody(request)):
                        // The upstream closed this idle connection just as we reused it (a keep-alive race every
                        // proxy meets). Nothing reached it that we cannot send again: send it once more on a new one.
                        destination.Pool.Release(upstream, reusable: false);
                        _server.Stats.RetriedStaleConnection();
                        (status, upstream) = await destination.Pool.AcquireNewAsync().ConfigureAwait(false);
                        continue;

                    case ResponseHeadResult.ClientFailed:
                        destination.Pool.Release(upstream, reusable: false);
                        return AttemptResult.Done(ExchangeOutcome.ClientGone, RequestOutcome.Cancelled, RequestError.ClientGone);

                    case ResponseHeadResult.TimedOut:
                        destination.Pool.Release(upstream, reusable: false);
                        _server.Stats.UpstreamTimedOut();
                        return AttemptResult.Failed(RequestOutcome.ResponseHeaderTimeout, bodySent);

                    case ResponseHeadResult.Invalid:
                        destination.Pool.Release(upstream, reusable: false);
                        _server.Stats.UpstreamFailed();
                        return AttemptResult.Failed(RequestOutcome.InvalidResponse, bodySent);

                    default:
                        destination.Pool.Release(upstream, reusable: false);
                        _server.Stats.UpstreamFailed();
                        return AttemptResult.Failed(RequestOutcome.Reset, bodySent);
                }
            }
            finally
            {
                _server.ResponseHeads.Return(response);
            }
        }
    }

    /// <summary>
    /// No connection to the destination: a refused or timed-out connect fails the attempt (the retry policy may send
    /// it elsewhere); a pool at max_connections is our own limit, answered 503 at once and held against nobody.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<AttemptResult> NoConnectionAsync(RequestHead request, AcquireStatus status)
    {
        if (status == AcquireStatus.PoolExhausted)
        {
            ExchangeOutcome answered = await _client.AnswerAsync(503, close: ClientBodyPending(request)).ConfigureAwait(false);
            return AttemptResult.Done(answered, RequestOutcome.Cancelled, RequestError.PoolExhausted);
        }
        _server.Stats.UpstreamConnectFailed();
        return AttemptResult.Failed(status == AcquireStatus.ConnectTimeout ? RequestOutcome.ConnectTimeout : RequestOutcome.ConnectFailure, 0);
    }

    /// <summary>
    /// A 5xx head, not yet passed on: when the policy retries it, it is dropped and the retry scheduled (its budget
    /// token taken); otherwise the client gets it as the upstream sent it.
    /// </summary>
    private bool TryScheduleRetryOf5xx(RequestHead request, ClusterRuntime runtime, int status, int attempt, long bodySent,
        out TimeSpan backoff)
    {
        var failed = new FailedAttempt(attempt, RequestOutcome.Status5xx, status, IsIdempotent(request.Method), bodySent,
            _replay is not null, ResponseStarted: false);
        return runtime.Retry.TrySchedule(failed, runtime.Budget, out backoff) == RetryVerdict.Retry;
    }

    /// <summary>How a relayed response body ended, for health and the record.</summary>
    private AttemptResult RelayOutcome(CopyResult copied, int status, bool keepAlive)
    {
        if (copied == CopyResult.Completed)
        {
            return AttemptResult.Done(new ExchangeOutcome(status, keepAlive), status >= 500 ? RequestOutcome.Status5xx : RequestOutcome.Success);
        }
        // Part of the response is already with the client, so the status stands; the connection closes.
        var exchange = new ExchangeOutcome(status, KeepAlive: false);
        if (copied == CopyResult.DestinationFailed) return AttemptResult.Done(exchange, RequestOutcome.Cancelled, RequestError.ClientGone);
        RequestOutcome outcome = _client.Deadline.HasFired(DeadlineKind.BodyIdle) ? RequestOutcome.IdleTimeout : RequestOutcome.Reset;
        return AttemptResult.Done(exchange, outcome, RequestErrors.From(outcome));
    }
}
