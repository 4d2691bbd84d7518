using Proxy.Engine.Async;
using System.Runtime.CompilerServices;
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
        UpstreamRequestHead.Write(upstream.Output, request, _client.Forwarding);
        CopyResult copied;
        try
        {
            copied = request.Framing switch
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
