using Proxy.Engine.Async;
using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Proxy.Engine.Forwarding;
using Proxy.Engine.Metrics;
using Proxy.Engine.Server;
using Proxy.Engine.Timeouts;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Connections;

/// <summary>
/// One HTTP/1.1 client connection: reads request heads one after another (pipelined requests wait in the pipe
/// and are answered in order), hands each to the <see cref="Http1Forwarder"/>, and decides when the connection
/// ends. Malformed requests get their status and a closed connection; timeouts come from the heartbeat.
/// </summary>
internal sealed partial class Http1ClientConnection : ITimeoutTarget, IClientConnection
{
    /// <summary>How long a closing connection waits for the client to close its side after our last response.</summary>
    private const long LingerMs = 2000;

    private static long s_nextId;

    private readonly IClientTransport _transport;
    private readonly ServerContext _server;
    private readonly Http1Forwarder _forwarder;
    private readonly long _id = Interlocked.Increment(ref s_nextId);
    private int _state;                      // ConnectionState, written with full fences (see BeginDraining)
    private int _draining;                   // set when this connection's listener is removed by a reload
    private bool _servedAny;
    private long _bytesSentMark;     // the transport's sent count where the last request's record ended

    public Http1ClientConnection(IClientTransport transport, ServerContext server, bool secure)
    {
        _transport = transport;
        _server = server;
        Forwarding = new ForwardingFields(transport.RemoteAddress, secure, transport.IsHttp2Stream);
        _forwarder = new Http1Forwarder(this, server);
    }

    public PipeReader Input => _transport.Input;
    public PipeWriter Output => _transport.Output;
    public ConnectionDeadline Deadline { get; } = new();
    public ForwardingFields Forwarding { get; }

    private ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>True once the process is shutting down or this connection's listener was removed: finish and close.</summary>
    public bool IsDraining => Volatile.Read(ref _draining) != 0 || _server.IsDraining;

    public async Task RunAsync() => await ServeAsync().ConfigureAwait(false);

    /// <summary>
    /// <see cref="RunAsync"/> on a pooled completion source: how an HTTP/2 stream runs its HTTP/1.1 side without a
    /// task per stream. The returned ValueTask must be awaited (or its result read) exactly once.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    public async ValueTask ServeAsync()
    {
        // An HTTP/2 stream is not a connection: its HTTP/2 connection is counted, drained and aborted as one.
        bool isConnection = !_transport.IsHttp2Stream;
        if (isConnection)
        {
            _server.Connections.Add(this);
            _server.Stats.ConnectionOpened();
        }
        int heartbeatSlot = _server.Heartbeat.Register(this);
        try
        {
            await ServeRequestsAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (!BodyCopier.IsIoFailure(ex))
        {
            Log.ConnectionFailed(_server.Logger, this, ex);
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
            _server.Heartbeat.Unregister(heartbeatSlot);
            if (isConnection)
            {
                _server.Connections.Remove(this);
                _server.Stats.ConnectionClosed();
            }
        }
    }

    /// <summary>
    /// Makes this connection new for the next HTTP/2 stream over the same (reset) transport, once its last
    /// <see cref="ServeAsync"/> has ended. The forwarder keeps nothing from one request to the next (as on a kept-alive
    /// connection), so only the connection's own state is cleared.
    /// </summary>
    public void ResetForNextStream()
    {
        Volatile.Write(ref _state, (int)ConnectionState.Idle);
        Volatile.Write(ref _draining, 0);
        _servedAny = false;
        _bytesSentMark = 0;
        Deadline.Disarm();
    }

    /// <summary>
    /// Reads and forwards requests, one at a time, until the connection should close. One call serves the whole
    /// connection, so a request's waits (for its head, for the upstream) suspend and resume this method alone, not
    /// also <see cref="ServeAsync"/> above it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private async ValueTask ServeRequestsAsync()
    {
        while (true)
        {
            ClientLimits limits = _server.Limits;
            if (!EnterState(ConnectionState.Idle)) return;
            // A new connection must send its first head within client_header_timeout (as in nginx); a kept-alive
            // one may wait client_idle_timeout for its next request.
            if (_servedAny) Deadline.Arm(DeadlineKind.ClientIdle, limits.IdleTimeoutMs, Input);
            else Deadline.Arm(DeadlineKind.ClientHead, limits.HeaderTimeoutMs, Input);

            RequestHead? head = null;
            // Bytes sent are counted from where the previous request's count ended (0 for the first), not from the
            // socket's count now: a response still queued when the previous request ended belongs to it. Bytes received
            // are the head's and the body's, which pipelining cannot blur.
            long bytesSentBefore = _bytesSentMark, headBytes = 0;
            try
            {
                while (true)
                {
                    ReadResult read;
                    try
                    {
                        read = await Input.ReadAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (BodyCopier.IsIoFailure(ex))
                    {
                        return;
                    }
                    ReadOnlySequence<byte> buffer = read.Buffer;
                    if (read.IsCanceled)
                    {
                        Input.AdvanceTo(buffer.Start);
                        if (Deadline.HasFired(DeadlineKind.ClientHead))
                        {
                            // 408 only to a client that started a request; one that sent nothing is closed quietly (nginx
                            // does the same). RejectReason has no timeout reason, so this counts as a 4xx request only.
                            if (head is not null || !buffer.IsEmpty)
                            {
                                await AnswerRequestAsync(408, RequestError.BadRequest, buffer.Length, bytesSentBefore).ConfigureAwait(false);
                            }
                            return;
                        }
                        if (Deadline.HasFired(DeadlineKind.ClientIdle) || (IsDraining && head is null)) return;
                        continue;    // a stale cancel meant for an earlier deadline
                    }
                    if (buffer.IsEmpty && read.IsCompleted) return;    // the client closed between requests

                    if (head is null)
                    {
                        // Rent a head only now that bytes have come: an idle connection holds none. The limits are
                        // read again too: a reload while this connection idled applies to its next request.
                        limits = _server.Limits;
                        head = limits.RequestHeads.Get();
                        EnterState(ConnectionState.ReadingHead);
                        if (_servedAny) Deadline.Arm(DeadlineKind.ClientHead, limits.HeaderTimeoutMs, Input);
                    }

                    bool complete;
                    SequencePosition consumed;
                    try
                    {
                        complete = RequestHeadParser.TryParse(buffer, head, out consumed);
                    }
                    catch (HttpRejectException ex)
                    {
                        Input.AdvanceTo(buffer.Start, buffer.End);
                        _server.Stats.Rejected(ex.Reason);
                        await AnswerRequestAsync(RejectStatus.Of(ex.Reason), RequestError.BadRequest, buffer.Length, bytesSentBefore)
                            .ConfigureAwait(false);
                        return;
                    }
                    if (!complete)
                    {
                        Input.AdvanceTo(buffer.Start, buffer.End);
                        if (read.IsCompleted) return;      // closed in the middle of a head
                        continue;
                    }
                    headBytes = buffer.Slice(buffer.Start, consumed).Length;
                    Input.AdvanceTo(consumed);
                    break;
                }

                Deadline.Disarm();
                EnterState(ConnectionState.Forwarding);
                _server.Stats.RequestStarted();
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                ExchangeOutcome outcome = await _forwarder.ForwardAsync(head, limits).ConfigureAwait(false);
                _server.Stats.RequestFinished(outcome.Status);
                ReportForwarded(head, outcome.Status, started, headBytes, bytesSentBefore);
                if (!outcome.KeepAlive || IsDraining) return;
            }
            finally
            {
                if (head is not null) limits.RequestHeads.Return(head);
            }
            _servedAny = true;
        }
    }

    /// <summary>Sends one of the proxy's own responses; the outcome says whether the connection may go on.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public async ValueTask<ExchangeOutcome> AnswerAsync(int status, bool close)
    {
        Output.Write(CannedResponses.For(status, close));
        bool flushed = await FlushAsync().ConfigureAwait(false);
        return new ExchangeOutcome(status, KeepAlive: flushed && !close);
    }

    /// <summary>Flushes the client's pipe; false when the client is gone.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public async ValueTask<bool> FlushAsync()
    {
        try
        {
            ValueTask<FlushResult> pending = Output.FlushAsync();
            FlushResult flushed = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
            return !flushed.IsCompleted && !flushed.IsCanceled;
        }
        catch (Exception ex) when (BodyCopier.IsIoFailure(ex))
        {
            return false;
        }
    }

    /// <summary>Answers a request that never reached the forwarder, and counts and reports it as a request like any other.</summary>
    private async ValueTask AnswerRequestAsync(int status, RequestError error, long bytesReceived, long bytesSentBefore)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        _server.Stats.RequestStarted();
        ExchangeOutcome outcome = await AnswerAsync(status, close: true).ConfigureAwait(false);
        _server.Stats.RequestFinished(outcome.Status);
        ReportRefused(outcome.Status, error, started, bytesReceived, bytesSentBefore);
    }

    /// <summary>
    /// Ends the connection without losing the last response: our side is completed (the transport sends what is
    /// left, then FIN), then we read and discard until the client closes or <see cref="LingerMs"/> passes.
    /// Closing while the client's bytes are still unread would make the kernel send RST, which can destroy the
    /// response in the client's buffers before it reads it (the reason nginx has lingering_close).
    /// </summary>
    private async ValueTask CloseAsync()
    {
        EnterState(ConnectionState.Closing);
        try
        {
            await Output.CompleteAsync().ConfigureAwait(false);
            // An HTTP/2 stream has no socket whose unread bytes could turn into a reset: its connection returns the
            // flow-control credit of whatever the stream still receives.
            if (_transport.IsHttp2Stream) return;
            Deadline.Arm(DeadlineKind.Linger, LingerMs, Input);
            while (true)
            {
                ReadResult read = await Input.ReadAsync().ConfigureAwait(false);
                Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        catch (Exception ex) when (BodyCopier.IsIoFailure(ex) || ex is InvalidOperationException)
        {
            // The socket is already gone: nothing left to wait for.
        }
        finally
        {
            Deadline.Disarm();
            _transport.Dispose();
        }
    }

    /// <summary>
    /// Moves to <paramref name="state"/>; false when that is Idle and the server is draining. The full fence of
    /// the exchange pairs with the one in <see cref="ServerContext.BeginDraining"/>: either we see draining here,
    /// or the drainer sees us idle and cancels our read.
    /// </summary>
    private bool EnterState(ConnectionState state)
    {
        Interlocked.Exchange(ref _state, (int)state);
        return state != ConnectionState.Idle || !IsDraining;
    }

    /// <summary>
    /// Shutdown, or its listener removed by a reload: an idle connection closes now, a busy one after its current
    /// request. The flag is set with a full fence before the state is read, pairing with <see cref="EnterState"/>.
    /// </summary>
    public void BeginDraining()
    {
        Interlocked.Exchange(ref _draining, 1);
        if (State == ConnectionState.Idle) Input.CancelPendingRead();
    }

    /// <summary>Cuts the connection and its upstream exchange at once.</summary>
    public void Abort()
    {
        _forwarder.AbortUpstream();
        _transport.Abort();
    }

    public void OnHeartbeat(long nowMs)
    {
        if (!Deadline.TryFire(nowMs, out DeadlineKind kind, out PipeReader? reader)) return;
        if (kind == DeadlineKind.BodyIdle) Abort();     // nothing moved either way: neither side can be saved
        else reader?.CancelPendingRead();
    }

    public override string ToString() => $"client#{_id}";
}
