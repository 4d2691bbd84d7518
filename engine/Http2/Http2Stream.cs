using Proxy.Engine.Connections;
using Proxy.Protocols.Http1;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Http2;

/// <summary>
/// One client stream of an <see cref="Http2ClientConnection"/>: its flow-control windows, the pipes to the
/// <see cref="Http1ClientConnection"/> that forwards it, and where each direction stands. Every mutable field is
/// guarded by the connection's lock, except those only the response pump touches.
/// </summary>
/// <remarks>
/// <para>
/// <b>Reuse.</b> A stream, its transport (two pipes) and its HTTP/1.1 connection (with its forwarder) are made once per
/// connection and reused stream after stream (<see cref="Http2ClientConnection"/> keeps the idle ones). What may still
/// touch a stream after it left the stream table holds it (<see cref="Hold"/>): its HTTP/1.1 side until it has ended, its
/// response pump until it has ended, and whoever cuts its exchange outside the lock (<c>AbortStream</c>). The last
/// <see cref="Release"/> resets the pipes and hands the stream back. Its flags keep saying "ended" until the read loop,
/// the only one that takes streams, starts it again (<see cref="Begin"/>): a stale reference the read loop still has
/// (a trailer block in progress) sees a finished stream, never the next one.
/// </para>
/// </remarks>
internal sealed class Http2Stream : IThreadPoolWorkItem
{
    private readonly Http2ClientConnection _connection;
    private readonly Action _onServed;
    private readonly Action _onPumped;
    private ValueTask _serving, _pumping;
    private int _holds;

    public Http2Stream(Http2ClientConnection connection, System.Net.IPAddress? remoteAddress, Server.ServerContext server)
    {
        _connection = connection;
        Transport = new Http2StreamTransport(remoteAddress, bytes => connection.OnRequestConsumed(this, bytes));
        Http1 = new Http1ClientConnection(Transport, server, secure: false);
        _onServed = OnServed;
        _onPumped = OnPumped;
    }

    public int Id { get; private set; }
    public Http2StreamTransport Transport { get; }

    /// <summary>The HTTP/1.1 connection serving this stream's one request.</summary>
    public Http1ClientConnection Http1 { get; }

    /// <summary>Starts (or starts again) as stream <paramref name="id"/>. Read loop only, on a stream nothing holds.</summary>
    public void Begin(int id, int peerInitialWindow, int receiveInitial, int receiveTarget)
    {
        Id = id;
        Send = new FlowWindow(peerInitialWindow);
        Receive = new ReceiveWindow(receiveInitial, receiveTarget);
        Method = default;
        Chunked = false;
        ContentLength = -1;
        BodyReceived = 0;
        RequestEnded = ResponseEnded = IsReset = false;
        DataReceived = PipeWritten = PipeConsumed = Credited = 0;
        WindowWaiter = null;
        _holds = 0;
    }

    /// <summary>Takes a hold: the stream is not reused until it is released. Under the connection's lock, on a stream still held or in the table.</summary>
    public void Hold() => Interlocked.Increment(ref _holds);

    /// <summary>Lets go of a hold; the last one makes the stream ready for the next (see remarks).</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holds) != 0) return;
        // Every end is complete by now (each flow completes its own); completing them again costs nothing and keeps
        // Pipe.Reset from throwing on a path that forgot one.
        Transport.CompleteAll();
        Transport.Reset();
        Http1.ResetForNextStream();
        _connection.ReturnStream(this);
    }

    /// <summary>
    /// Starts the stream's two flows, each of which already holds it (taken under the lock as the stream entered the
    /// table): the HTTP/1.1 side on the thread pool (never inline on the read loop) and the response pump here, inline
    /// up to its first wait. Each releases its hold when it ends; neither costs a task.
    /// </summary>
    // CA2012: each flow's ValueTask is kept until it completes, then its result is read exactly once (OnServed, OnPumped).
#pragma warning disable CA2012
    public void Run(Func<Http2Stream, ValueTask> pump)
    {
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        ValueTask pumping = pump(this);
        _pumping = pumping;
        if (pumping.IsCompleted) OnPumped();
        else pumping.GetAwaiter().UnsafeOnCompleted(_onPumped);
    }

    void IThreadPoolWorkItem.Execute()
    {
        ValueTask serving = Http1.ServeAsync();
        _serving = serving;
        if (serving.IsCompleted) OnServed();
        else serving.GetAwaiter().UnsafeOnCompleted(_onServed);
    }

    // Run only once the flow has completed (IsCompleted, or its completion callback): reading the result gives its
    // pooled completion source back. They run inline where the flow completed, so nothing may escape them.
    private void OnServed()
    {
        ValueTask serving = _serving;
        _serving = default;
        try
        {
            serving.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Dropped, as when each flow was a task nobody awaited: an I/O failure is how a cut exchange ends, and
            // anything unexpected the flow has logged. Thrown on here, it would end the process.
        }
        finally
        {
            Release();
        }
    }

    private void OnPumped()
    {
        ValueTask pumping = _pumping;
        _pumping = default;
        try
        {
            pumping.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // As above.
        }
        finally
        {
            Release();
        }
    }
#pragma warning restore CA2012

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
