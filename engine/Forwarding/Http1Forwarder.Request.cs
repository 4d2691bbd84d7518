using System.Buffers;
using System.Runtime.CompilerServices;
using Proxy.Engine.Async;
using Proxy.Engine.Routing;
using Proxy.Engine.Server;
using Proxy.Engine.Upstreams;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

internal sealed partial class Http1Forwarder
{
    /// <summary>
    /// Writes the rewritten head and streams the body. The head is not flushed on its own when a body follows:
    /// it leaves with the first body bytes.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<RequestSendResult> SendRequestAsync(UpstreamConnection upstream, RequestHead request,
        ClientLimits limits, Cluster cluster)
    {
        UpstreamRequestHead.Write(upstream.Output, request, _client.Forwarding, _trace, _actions);
        CopyResult copied;
        try
        {
            copied = _replay is not null ? await WriteReplayAsync(upstream).ConfigureAwait(false) : request.Framing switch
            {
                BodyFraming.ContentLength when request.ContentLength > 0 => await _copier.CopyExactAsync(
                    _client.Input, upstream.Output, request.ContentLength, cluster.IdleTimeoutMs).ConfigureAwait(false),
                BodyFraming.Chunked => await _copier.CopyChunkedAsync(_client.Input, upstream.Output, reencode: true,
                    limits.Chunked, limits.MaxRequestBody, cluster.IdleTimeoutMs).ConfigureAwait(false),
                _ => await FlushUpstreamAsync(upstream).ConfigureAwait(false),
            };
        }
        catch (HttpRejectException ex)
        {
            // Counted here, once, because only here is the reason known; the caller answers 400.
            _server.Stats.Rejected(ex.Reason);
            return RequestSendResult.ClientBodyInvalid;
        }
        return copied switch
        {
            CopyResult.Completed => RequestSendResult.Sent,
            CopyResult.TooLarge => RequestSendResult.BodyTooLarge,
            CopyResult.DestinationFailed => RequestSendResult.UpstreamFailed,
            _ => RequestSendResult.ClientFailed,
        };
    }

    /// <summary>
    /// Whether the body is read whole before the first attempt, so that a retry can send it again: only when retries
    /// are on, and only a Content-Length body within <c>max_replay_body</c> (a chunked one streams: its size is not
    /// known until it has been read, and it is refused a retry once any of it went upstream).
    /// </summary>
    private static bool KeepsBodyForReplay(RequestHead request, ClusterRuntime runtime) =>
        runtime.Retry.MaxRetries > 0 && request.Framing == BodyFraming.ContentLength &&
        request.ContentLength > 0 && request.ContentLength <= runtime.Retry.MaxReplayBody;

    /// <summary>Reads the whole body from the client into a pooled buffer; false when the client went away first.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<bool> ReadBodyForReplayAsync(RequestHead request, Cluster cluster)
    {
        int length = (int)request.ContentLength;
        _replay = ArrayPool<byte>.Shared.Rent(length);
        CopyResult read = await _copier.ReadExactAsync(_client.Input, _replay, length, cluster.IdleTimeoutMs).ConfigureAwait(false);
        if (read != CopyResult.Completed) return false;
        _replayLength = length;
        _clientBodyRead = true;
        RecordBodyBytesReceived = length;
        return true;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<CopyResult> WriteReplayAsync(UpstreamConnection upstream)
    {
        upstream.Output.Write(_replay.AsSpan(0, _replayLength));
        return await FlushUpstreamAsync(upstream).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<CopyResult> FlushUpstreamAsync(UpstreamConnection upstream)
    {
        try
        {
            ValueTask<System.IO.Pipelines.FlushResult> pending = upstream.Output.FlushAsync();
            var flushed = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
            return flushed.IsCompleted ? CopyResult.DestinationFailed : CopyResult.Completed;
        }
        catch (Exception ex) when (BodyCopier.IsIoFailure(ex))
        {
            return CopyResult.DestinationFailed;
        }
    }
}
