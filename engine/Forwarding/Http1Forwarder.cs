using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Proxy.Balancers;
using Proxy.Engine.Async;
using Proxy.Engine.Config;
using Proxy.Engine.Connections;
using Proxy.Engine.Metrics;
using Proxy.Engine.Routing;
using Proxy.Engine.Server;
using Proxy.Engine.Tracing;
using Proxy.Engine.Upstreams;
using Proxy.Health;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// Carries one client request at a time to a destination and its response back (DESIGN.md steps 4-8): route, then
/// attempts — pick a usable destination its breaker admits, take a pooled connection, send the rewritten head and
/// stream the body, read the response head, rewrite it, stream the body back — retrying a failed attempt on another
/// destination when the cluster's retry policy and budget allow, and reporting every attempt's outcome to health.
/// One per client connection; expected failures are outcomes (502, 503, 504), not exceptions. Partial files: the
/// attempt (.Attempt), picking a destination (.Picking), the request (.Request) and response (.Response) halves.
/// </summary>
internal sealed partial class Http1Forwarder
{
    private readonly Http1ClientConnection _client;
    private readonly ServerContext _server;
    private readonly BodyCopier _copier;
    private readonly RequestTrace? _trace;
    private UpstreamConnection? _upstream;    // the connection in use, so Abort can cut it

    // The request body, read whole before the first attempt when it is small enough to send again on a retry.
    private byte[]? _replay;
    private int _replayLength;

    // Whether the client's body has been read to its end (sent upstream, or held for replay): until then, answering
    // means closing, since the unread bytes would be taken for the next request.
    private bool _clientBodyRead;

    // Whether a 1xx went to the client: a 5xx that follows can no longer be swapped for a retry's answer.
    private bool _sentInterim;

    public Http1Forwarder(Http1ClientConnection client, ServerContext server)
    {
        _client = client;
        _server = server;
        _copier = new BodyCopier(client.Deadline);
        TracingConfig tracing = server.Tracing;
        if (tracing.RequestId || tracing.GenerateTraceParent) _trace = new RequestTrace(tracing);
    }

    // What the request's record reports (read by the connection once ForwardAsync returns).
    public RouteMetrics? RecordRoute { get; private set; }
    public DestinationMetrics? RecordDestination { get; private set; }
    public RequestError RecordError { get; private set; }
    public int RecordRetries { get; private set; }
    public long RecordBodyBytesReceived { get; private set; }
    public long UpstreamStartTimestamp { get; private set; }
    public long UpstreamHeadersTimestamp { get; private set; }

    /// <summary>The request id and trace context of the request in progress; null when both are off.</summary>
    public RequestTrace? Trace => _trace;

    /// <summary>
    /// Forwards <paramref name="request"/>, whose head has been consumed from the client's pipe. Not async itself: what
    /// comes before the attempts never waits, and a request that reaches a cluster waits inside
    /// <see cref="ForwardWithRetriesAsync"/>, one async level fewer to suspend and resume per request.
    /// </summary>
    public ValueTask<ExchangeOutcome> ForwardAsync(RequestHead request, ClientLimits limits)
    {
        BeginRecord();
        _trace?.Begin(request);
        // CONNECT would turn the connection into a tunnel, which is not supported yet.
        if (request.Method == KnownMethod.Connect) return RejectAsync(RejectReason.MethodNotAllowed);

        RoutingSnapshot snapshot = _server.Routing.Current;      // read once: the whole request uses this snapshot
        RouteMatch match = snapshot.Match(request);
        if (!match.Found) return AnswerUnroutedAsync(request, match);
        Route route = match.Route;
        RecordRoute = route.Metrics;
        _actions = route.Actions;
        if (route.Actions.Redirect is not null || route.Actions.DirectResponse is not null)
        {
            return AnswerFromRouteAsync(request, route.Actions);
        }
        Cluster cluster = ClusterFor(request, route);

        // Known from the head: refused before anything is sent upstream, and before any 100 Continue.
        if (request.Framing == BodyFraming.ContentLength && request.ContentLength > limits.MaxRequestBody)
        {
            return RejectAsync(RejectReason.BodyTooLarge);
        }
        return ForwardWithRetriesAsync(request, limits, cluster, route.Actions.Mirror);
    }

    /// <summary>
    /// Attempts until one answers the client or no retry is allowed: the policy decides (outcome, attempts left,
    /// idempotency, whether the body can be sent again) and the budget caps retries in flight; a retry holds its
    /// budget token from being scheduled, through its backoff, to the end of its attempt.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<ExchangeOutcome> ForwardWithRetriesAsync(RequestHead request, ClientLimits limits, Cluster cluster,
        Mirror? mirror)
    {
        if (request.ExpectContinue && request.Framing != BodyFraming.None && request.Version == HttpVersion.Http11)
        {
            // Answer the expectation ourselves: the body then flows at once, and neither the client nor an
            // upstream that ignores Expect waits on the other (RFC 9110 §10.1.1).
            _client.Output.Write(CannedResponses.Continue);
            if (!await _client.FlushAsync().ConfigureAwait(false)) return ClientGone();
        }

        ClusterRuntime runtime = cluster.Runtime;
        RetryBudget budget = runtime.Budget;
        budget.OnRequestStarted();
        bool holdsRetryToken = false;
        try
        {
            bool mirrored = mirror is not null && mirror.ShouldCopy(SharedRandomSource.Instance) && MirrorCanCopy(request, mirror);
            if ((KeepsBodyForReplay(request, runtime) || (mirrored && HasBody(request)))
                && !await ReadBodyForReplayAsync(request, cluster).ConfigureAwait(false))
            {
                return ClientGone();
            }
            if (mirrored) SendMirror(request, mirror!);
            for (int attempt = 1; ; attempt++)
            {
                // One attempt: pick a destination its breaker admits, exchange the request with it, and report the
                // outcome to its health and its balancer state exactly once, however the attempt ends. Here rather
                // than in a method of its own: one async level fewer per request.
                AttemptResult result;
                long started = Stopwatch.GetTimestamp();    // the pick's time (peak_ewma) and the attempt's start
                if (!TryPick(request, runtime, started, out PickedDestination picked))
                {
                    ExchangeOutcome answered = await _client.AnswerAsync(503, close: ClientBodyPending(request)).ConfigureAwait(false);
                    result = AttemptResult.Done(answered, RequestOutcome.Cancelled, RequestError.NoDestination);
                }
                else
                {
                    BeginAttempt(picked.Destination, started);
                    RequestOutcome outcome = RequestOutcome.Cancelled;    // what an exception (a bug) reports: nothing against the destination
                    try
                    {
                        result = await ExchangeAsync(request, limits, cluster, picked.Destination, attempt).ConfigureAwait(false);
                        outcome = result.Outcome;
                    }
                    finally
                    {
                        EndAttempt(picked, started, outcome);
                    }
                }
                if (holdsRetryToken)
                {
                    budget.ReleaseRetry();
                    holdsRetryToken = false;
                }
                if (result.Answered)
                {
                    RecordError = result.Error;
                    return result.Exchange;
                }

                TimeSpan? delay = result.RetryDelay;
                if (delay is null)
                {
                    var failed = new FailedAttempt(attempt, result.Outcome, result.Status, IsIdempotent(request.Method),
                        result.BodyBytesSent, _replay is not null, ResponseStarted: false);
                    if (runtime.Retry.TrySchedule(failed, budget, out TimeSpan backoff) == RetryVerdict.Retry) delay = backoff;
                }
                if (delay is { } wait)
                {
                    holdsRetryToken = true;
                    RecordRetries++;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait).ConfigureAwait(false);     // retries only: allocates
                    continue;
                }

                RecordError = result.Error;
                return await _client.AnswerAsync(RequestOutcomes.StatusCodeFor(result.Outcome, result.Status),
                    close: ClientBodyPending(request)).ConfigureAwait(false);
            }
        }
        finally
        {
            if (holdsRetryToken) budget.ReleaseRetry();
            budget.OnRequestEnded();
            ReturnReplayBuffer();
            ForgetTried();
            _actions = RouteActions.None;
        }
    }

    /// <summary>Cuts the upstream connection in use, if any (a timeout or shutdown aborted the exchange).</summary>
    public void AbortUpstream() => Volatile.Read(ref _upstream)?.Close();

    /// <summary>A rejection found by the forwarder rather than the parser: counted under its reason, answered, closed.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<ExchangeOutcome> RejectAsync(RejectReason reason)
    {
        _server.Stats.Rejected(reason);
        RecordError = reason switch
        {
            RejectReason.MethodNotAllowed => RequestError.MethodNotAllowed,
            RejectReason.BodyTooLarge => RequestError.BodyTooLarge,
            _ => RequestError.BadRequestBody,
        };
        return await _client.AnswerAsync(RejectStatus.Of(reason), close: true).ConfigureAwait(false);
    }

    private ExchangeOutcome ClientGone()
    {
        RecordError = RequestError.ClientGone;
        return ExchangeOutcome.ClientGone;
    }

    private void BeginRecord()
    {
        RecordRoute = null;
        RecordDestination = null;
        RecordError = RequestError.None;
        RecordRetries = 0;
        RecordBodyBytesReceived = 0;
        UpstreamStartTimestamp = 0;
        UpstreamHeadersTimestamp = 0;
        ForgetTried();
        _sentInterim = false;
        _clientBodyRead = false;
    }

    /// <summary>RFC 9110 §9.2.2: methods whose repetition has the effect of one request.</summary>
    private static bool IsIdempotent(KnownMethod method) => method is KnownMethod.Get or KnownMethod.Head
        or KnownMethod.Options or KnownMethod.Trace or KnownMethod.Put or KnownMethod.Delete;

    private static bool HasBody(RequestHead request) =>
        request.Framing == BodyFraming.Chunked || (request.Framing == BodyFraming.ContentLength && request.ContentLength > 0);

    /// <summary>Whether the client's connection still holds body bytes we have not read.</summary>
    private bool ClientBodyPending(RequestHead request) => HasBody(request) && !_clientBodyRead;

    private void ReturnReplayBuffer()
    {
        if (_replay is null) return;
        ArrayPool<byte>.Shared.Return(_replay);
        _replay = null;
        _replayLength = 0;
    }
}
