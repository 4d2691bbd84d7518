using Proxy.Engine.Async;
using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Proxy.Balancers;
using Proxy.Engine.Connections;
using Proxy.Engine.Routing;
using Proxy.Engine.Server;
using Proxy.Engine.Upstreams;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// Carries one client request at a time to a destination and its response back (DESIGN.md steps 4-8): route,
/// pick, take a pooled upstream connection, send the rewritten head and stream the body, read the response head,
/// rewrite it, stream the body back, return the connection to its pool when it may be reused.
/// One per client connection; expected failures are outcomes (502, 503, 504), not exceptions.
/// The request and response halves are in the partial files next to this one.
/// </summary>
internal sealed partial class Http1Forwarder
{
    private readonly Http1ClientConnection _client;
    private readonly ServerContext _server;
    private readonly BodyCopier _copier;
    private UpstreamConnection? _upstream;    // the connection in use, so Abort can cut it

    public Http1Forwarder(Http1ClientConnection client, ServerContext server)
    {
        _client = client;
        _server = server;
        _copier = new BodyCopier(client.Deadline);
    }

    /// <summary>Forwards <paramref name="request"/>, whose head has been consumed from the client's pipe.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public async ValueTask<ExchangeOutcome> ForwardAsync(RequestHead request, ClientLimits limits)
    {
        // CONNECT would turn the connection into a tunnel, which is not supported yet.
        if (request.Method == KnownMethod.Connect) return await RejectAsync(RejectReason.MethodNotAllowed).ConfigureAwait(false);

        RoutingSnapshot snapshot = _server.Routing.Current;      // read once: the whole request uses this snapshot
        Route? route = snapshot.Match(request.Host, request.Path);
        if (route is null) return await _client.AnswerAsync(404, close: HasUnreadBody(request)).ConfigureAwait(false);

        // Known from the head: refused before anything is sent upstream, and before any 100 Continue.
        if (request.Framing == BodyFraming.ContentLength && request.ContentLength > limits.MaxRequestBody)
        {
            return await RejectAsync(RejectReason.BodyTooLarge).ConfigureAwait(false);
        }

        Destination? destination = route.Cluster.Pick(default(PickContext));
        if (destination is null) return await _client.AnswerAsync(503, close: HasUnreadBody(request)).ConfigureAwait(false);

        if (request.ExpectContinue && request.Framing != BodyFraming.None && request.Version == HttpVersion.Http11)
        {
            // Answer the expectation ourselves: the body then flows at once, and neither the client nor an
            // upstream that ignores Expect waits on the other (RFC 9110 §10.1.1).
            _client.Output.Write(CannedResponses.Continue);
            if (!await _client.FlushAsync().ConfigureAwait(false)) return ExchangeOutcome.ClientGone;
        }

        destination.State.OnRequestStart();
        long started = Stopwatch.GetTimestamp();
        try
        {
            return await ExchangeAsync(request, limits, route.Cluster, destination).ConfigureAwait(false);
        }
        finally
        {
            long ended = Stopwatch.GetTimestamp();
            destination.State.OnRequestEnd(ended - started, ended);
            _upstream = null;
        }
    }

    /// <summary>Cuts the upstream connection in use, if any (a timeout or shutdown aborted the exchange).</summary>
    public void AbortUpstream() => Volatile.Read(ref _upstream)?.Close();

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<ExchangeOutcome> ExchangeAsync(RequestHead request, ClientLimits limits, Cluster cluster, Destination destination)
    {
        var (status, upstream) = await destination.Pool.AcquireAsync().ConfigureAwait(false);
        for (int attempt = 0; ; attempt++)
        {
            if (status != AcquireStatus.Acquired || upstream is null)
            {
                if (status == AcquireStatus.PoolExhausted) return await _client.AnswerAsync(503, HasUnreadBody(request)).ConfigureAwait(false);
                _server.Stats.UpstreamConnectFailed();
                return await _client.AnswerAsync(502, HasUnreadBody(request)).ConfigureAwait(false);
            }

            Volatile.Write(ref _upstream, upstream);
            bool reused = upstream.RequestCount > 0;
            RequestSendResult sent = await SendRequestAsync(upstream, request, limits, cluster).ConfigureAwait(false);
            switch (sent)
            {
                case RequestSendResult.ClientFailed:
                    destination.Pool.Release(upstream, reusable: false);
                    return ExchangeOutcome.ClientGone;
                case RequestSendResult.ClientBodyInvalid:
                    destination.Pool.Release(upstream, reusable: false);
                    return await _client.AnswerAsync(400, close: true).ConfigureAwait(false);
                case RequestSendResult.BodyTooLarge:
                    // Found out midway through a chunked body, part of which the upstream already has: that
                    // connection holds half a request and is closed; so is the client's, whose body we stop reading.
                    destination.Pool.Release(upstream, reusable: false);
                    return await RejectAsync(RejectReason.BodyTooLarge).ConfigureAwait(false);
            }
            bool requestComplete = sent == RequestSendResult.Sent;

            ResponseHead response = _server.ResponseHeads.Get();
            try
            {
                (ResponseHeadResult received, bool receivedAny) =
                    await ReceiveResponseHeadAsync(upstream, request, response, cluster).ConfigureAwait(false);
                switch (received)
                {
                    case ResponseHeadResult.Received:
                        return await RelayResponseAsync(upstream, request, response, requestComplete, cluster).ConfigureAwait(false);

                    case ResponseHeadResult.UpstreamClosed when reused && !receivedAny && attempt == 0
                                                                 && request.Framing == BodyFraming.None:
                        // The upstream closed this idle connection just as we reused it (a keep-alive race every
                        // proxy meets). Nothing reached it but a head we still hold: send it once more on a new one.
                        destination.Pool.Release(upstream, reusable: false);
                        _server.Stats.RetriedStaleConnection();
                        (status, upstream) = await destination.Pool.AcquireNewAsync().ConfigureAwait(false);
                        continue;

                    case ResponseHeadResult.ClientFailed:
                        destination.Pool.Release(upstream, reusable: false);
                        return ExchangeOutcome.ClientGone;

                    case ResponseHeadResult.TimedOut:
                        destination.Pool.Release(upstream, reusable: false);
                        _server.Stats.UpstreamTimedOut();
                        return await _client.AnswerAsync(504, close: !requestComplete).ConfigureAwait(false);

                    default:
                        destination.Pool.Release(upstream, reusable: false);
                        _server.Stats.UpstreamFailed();
                        return await _client.AnswerAsync(502, close: !requestComplete).ConfigureAwait(false);
                }
            }
            finally
            {
                _server.ResponseHeads.Return(response);
            }
        }
    }

    /// <summary>A rejection found by the forwarder rather than the parser: counted under its reason, answered, closed.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<ExchangeOutcome> RejectAsync(RejectReason reason)
    {
        _server.Stats.Rejected(reason);
        return await _client.AnswerAsync(RejectStatus.Of(reason), close: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the client's connection still holds body bytes we did not read: answering without reading them
    /// means the connection cannot carry another request.
    /// </summary>
    private static bool HasUnreadBody(RequestHead request) =>
        request.Framing == BodyFraming.Chunked || (request.Framing == BodyFraming.ContentLength && request.ContentLength > 0);
}
