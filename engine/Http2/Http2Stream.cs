using Proxy.Engine.Connections;
using Proxy.Protocols.Http1;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Http2;

/// <summary>
/// One client stream of an <see cref="Http2ClientConnection"/>: its flow-control windows, the pipes to the
/// <see cref="Http1ClientConnection"/> that forwards it, and where each direction stands. Every mutable field is
/// guarded by the connection's lock, except those only the response pump touches.
/// </summary>
internal sealed class Http2Stream
{
    public Http2Stream(int id, Http2StreamTransport transport, int peerInitialWindow, int receiveInitial, int receiveTarget)
    {
        Id = id;
        Transport = transport;
        Send = new FlowWindow(peerInitialWindow);
        Receive = new ReceiveWindow(receiveInitial, receiveTarget);
    }

    public int Id { get; }
    public Http2StreamTransport Transport { get; }

    /// <summary>The HTTP/1.1 connection serving this stream's one request.</summary>
    public Http1ClientConnection? Http1 { get; set; }

    /// <summary>The request's method, which decides whether the response has a body (HEAD).</summary>
    public KnownMethod Method { get; set; }

    /// <summary>Credit for response DATA (the client's window for this stream).</summary>
    public FlowWindow Send;

    /// <summary>Credit the client has for request DATA, and what has been released but not yet announced.</summary>
    public ReceiveWindow Receive;

    /// <summary>The request body goes into the pipe as chunks (no content-length).</summary>
    public bool Chunked { get; set; }

    /// <summary>The request's content-length, or -1: the DATA must add up to it exactly (RFC 9113 §8.1.1).</summary>
    public long ContentLength { get; set; } = -1;

    /// <summary>Request body bytes received in DATA so far.</summary>
    public long BodyReceived { get; set; }

    /// <summary>The client ended its side (END_STREAM), or we stopped reading it: nothing more goes into the request pipe.</summary>
    public bool RequestEnded { get; set; }

    /// <summary>The response's last frame is out (or never will be).</summary>
    public bool ResponseEnded { get; set; }

    /// <summary>Reset by either side: the response pump stops at its next step.</summary>
    public bool IsReset { get; set; }

    // Flow-control bookkeeping of the request pipe (see Http2ClientConnection.OnRequestConsumed): the credit a stream
    // may be given back is the DATA received minus what still sits unread in the pipe (framing bytes included, so the
    // estimate errs on the side of less credit) minus what was already given.
    public long DataReceived { get; set; }
    public long PipeWritten { get; set; }
    public long PipeConsumed { get; set; }
    public long Credited { get; set; }

    /// <summary>Completed when a window this stream waits on may have opened (or the stream was reset).</summary>
    public TaskCompletionSource? WindowWaiter { get; set; }
}
