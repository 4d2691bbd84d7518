using Proxy.Engine.Async;
using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Proxy.Balancers;
using Proxy.Engine.Routing;
using Proxy.Engine.Timeouts;
using Proxy.Engine.Upstreams;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

internal sealed partial class Http1Forwarder
{
    /// <summary>
    /// Reads response heads until a final one: interim (1xx) ones are passed to HTTP/1.1 clients on the way.
    /// <c>receivedAny</c> says whether the upstream sent any byte, which decides if a request may be re-sent.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<(ResponseHeadResult Result, bool ReceivedAny)> ReceiveResponseHeadAsync(
        UpstreamConnection upstream, RequestHead request, ResponseHead response, Cluster cluster)
    {
        PipeReader input = upstream.Input;
        ConnectionDeadline deadline = _client.Deadline;
        bool receivedAny = false;
        try
        {
            while (true)
            {
                deadline.Arm(DeadlineKind.ResponseHead, cluster.ResponseHeaderTimeoutMs, input);
                ReadResult read;
                try
                {
                    read = await input.ReadAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (BodyCopier.IsIoFailure(ex))
                {
                    return (ResponseHeadResult.UpstreamClosed, receivedAny);
                }
                ReadOnlySequence<byte> buffer = read.Buffer;
                if (read.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start);
                    if (deadline.HasFired(DeadlineKind.ResponseHead)) return (ResponseHeadResult.TimedOut, receivedAny);
                    continue;    // a stale cancel meant for an earlier deadline
                }
                receivedAny |= !buffer.IsEmpty;

                bool complete;
                SequencePosition consumed;
                try
                {
                    complete = ResponseHeadParser.TryParse(buffer, response, request.Method, out consumed);
                }
                catch (HttpRejectException)
                {
                    input.AdvanceTo(buffer.Start);
                    return (ResponseHeadResult.Invalid, true);
                }
                if (!complete)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted) return (ResponseHeadResult.UpstreamClosed, receivedAny);
                    continue;
                }
                input.AdvanceTo(consumed);
                if (!response.IsInterim) return (IsUnusable(response) ? ResponseHeadResult.Invalid : ResponseHeadResult.Received, true);

                // 101 answers an upgrade we never ask for (Upgrade is stripped): the upstream is confused.
                if (response.StatusCode == 101) return (ResponseHeadResult.Invalid, true);
                if (ShouldPassInterim(request, response))
                {
                    ClientResponseHead.WriteInterim(_client.Output, response);
                    _sentInterim = true;
                    if (!await _client.FlushAsync().ConfigureAwait(false)) return (ResponseHeadResult.ClientFailed, true);
                }
            }
        }
        finally
        {
            deadline.Disarm();
        }
    }

    /// <summary>
    /// A final response the parser accepts but a client must not get: a status code above 599 (RFC 9110 §15: "values
    /// outside the range 100..599 are invalid"; the parser checks only for three digits), or a body the proxy cannot
    /// frame for the client.
    /// </summary>
    private static bool IsUnusable(ResponseHead response) => response.StatusCode > 599 || HasUndeclarableCoding(response);

    /// <summary>
    /// A body under a transfer coding other than chunked (e.g. "Transfer-Encoding: gzip", read until the upstream
    /// closes, RFC 9112 §6.3 rule 4) cannot be passed on: Transfer-Encoding is hop-by-hop, so the client would get
    /// coded bytes with nothing saying they are coded. Passing the coding on ("gzip, chunked") would send a coding the
    /// client never offered in TE (we do not forward TE, so an upstream should not have used one), and decoding it
    /// here would cost CPU and memory per response for a shape no compliant upstream sends. So it is a 502.
    /// </summary>
    private static bool HasUndeclarableCoding(ResponseHead response) =>
        response.Framing == BodyFraming.CloseDelimited && response.TryGetValue(KnownHeader.TransferEncoding, out _);

    /// <summary>
    /// A response that has no body by its status or method, but whose head announces one (a HEAD answered with
    /// Content-Length above 0 or Transfer-Encoding, a 204 with either), leaves its connection in doubt: an upstream
    /// that wrongly sends that body anyway, perhaps after a pause, would have it read as the answer to the next
    /// request on the connection (response desync). Such a connection is not reused. A 304 may announce a length
    /// and routinely does, so it is trusted like any complete response.
    /// </summary>
    private static bool MayBeFollowedByABody(RequestHead request, ResponseHead response)
    {
        if (response.Framing != BodyFraming.None || !(request.Method == KnownMethod.Head || response.StatusCode == 204)) return false;
        if (response.TryGetValue(KnownHeader.TransferEncoding, out _)) return true;
        return response.TryGetValue(KnownHeader.ContentLength, out ReadOnlySpan<byte> value)
               && (!ContentLength.TryParse(value, out long length) || length > 0);
    }

    /// <summary>
    /// 1xx goes only to HTTP/1.1 clients (RFC 9110 §15.2), and a 100 only when we did not already send our own.
    /// </summary>
    private static bool ShouldPassInterim(RequestHead request, ResponseHead response) =>
        request.Version == HttpVersion.Http11 && !(response.StatusCode == 100 && request.ExpectContinue);

    /// <summary>Writes the client's response head and streams the body; releases the upstream connection.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<AttemptResult> RelayResponseAsync(UpstreamConnection upstream, RequestHead request,
        ResponseHead response, bool requestComplete, Cluster cluster)
    {
        ClientBodyMode mode = ClientBodyModes.Choose(response.Framing, request.Version);
        bool close = !request.KeepAlive || !requestComplete || mode == ClientBodyMode.CloseDelimited || _client.IsDraining;
        WriteClientHead(response, mode, close, request.Version, cluster.Runtime);

        CopyResult copied;
        try
        {
            copied = await CopyResponseBodyAsync(upstream, response, mode, cluster.IdleTimeoutMs).ConfigureAwait(false);
        }
        catch (HttpRejectException)
        {
            copied = CopyResult.SourceFailed;    // a malformed chunked body: the response cannot be completed
        }

        bool reusable = copied == CopyResult.Completed && requestComplete && response.KeepAlive
                        && response.Framing != BodyFraming.CloseDelimited && !MayBeFollowedByABody(request, response);
        upstream.Pool.Release(upstream, reusable);

        // When the body broke off, part of the response is already with the client: closing is the only way left to
        // tell it the body is incomplete. A keep-alive connection must never carry a silently truncated response.
        if (copied is not (CopyResult.Completed or CopyResult.DestinationFailed)) _server.Stats.UpstreamFailed();
        return RelayOutcome(copied, response.StatusCode, keepAlive: !close);
    }

    /// <summary>The client's head, with the request id and, when this response pins a sticky session, its cookie.</summary>
    private void WriteClientHead(ResponseHead response, ClientBodyMode mode, bool close, HttpVersion version, ClusterRuntime runtime)
    {
        DestinationState? pin = _pinTo;
        var extras = new ResponseExtras(_trace, pin is null ? default : runtime.StickyCookieName,
            pin is null ? default : pin.StickyId, _actions.ResponseHeaders);
        ClientResponseHead.Write(_client.Output, response, mode, close, version, in extras);
    }

    private ValueTask<CopyResult> CopyResponseBodyAsync(UpstreamConnection upstream, ResponseHead response,
        ClientBodyMode mode, long idleTimeoutMs)
    {
        PipeReader from = upstream.Input;
        PipeWriter to = _client.Output;
        return response.Framing switch
        {
            BodyFraming.ContentLength when response.ContentLength > 0 =>
                _copier.CopyExactAsync(from, to, response.ContentLength, idleTimeoutMs),
            BodyFraming.Chunked =>
                _copier.CopyChunkedAsync(from, to, reencode: mode == ClientBodyMode.Chunked, ChunkedLimits.Default,
                    long.MaxValue, idleTimeoutMs),
            BodyFraming.CloseDelimited =>
                _copier.CopyUntilCloseAsync(from, to, asChunks: mode == ClientBodyMode.Chunked, idleTimeoutMs),
            _ => FlushHeadOnlyAsync(),
        };
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<CopyResult> FlushHeadOnlyAsync() =>
        await _client.FlushAsync().ConfigureAwait(false) ? CopyResult.Completed : CopyResult.DestinationFailed;
}
