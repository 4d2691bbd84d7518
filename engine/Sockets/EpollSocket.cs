using System.IO.Pipelines;
using System.Net.Sockets;
using Proxy.Engine.Async;

namespace Proxy.Engine.Sockets;

/// <summary>
/// A TCP socket as a duplex pipe, served by an <see cref="EventLoop"/>: bytes the peer sends are received into
/// <see cref="Input"/>, bytes written to <see cref="Output"/> are sent. The socket's readiness is tracked here, as
/// nginx does: a receive that fills less than its buffer has drained the socket, so the next receive waits for the
/// next edge instead of trying (and finding nothing) first. A keep-alive request then costs one receive per socket
/// where System.Net.Sockets makes two (perf/RESULTS.md).
/// </summary>
/// <remarks>
/// Two flows run per socket, neither of them a loop of its own: receiving (on readiness, inline on the event loop's
/// thread; the reader runs inside it) and sending (inline in the writer's flush, on the writer's thread; after the
/// kernel's buffer was full, woken by readiness).
/// </remarks>
internal sealed partial class EpollSocket : IDuplexPipe, IDisposable
{
    private readonly Socket _socket;
    private readonly EventLoop _loop;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly SendingWriter _writer;
    // Readiness wakes a send waiting for room inline, on the event loop's thread, as socket completions do with inline
    // completions (PLATFORM.md); a readiness that comes while no send waits is kept for the next wait.
    private readonly AutoResetSignal _writable = new(wakeInline: true);
    private long _bytesRead, _bytesSent;
    private int _sendBlocked;    // 1 while sending waits for room (or a connect for its answer)
    private int _receiveEnded;   // 1 once the peer's end of stream (or an error) was reported: read on to it
    private PassRole _sendRole, _receiveRole;   // who may run the next send or receive pass (see PassRole)
    private bool _sendEnded;     // the output's reader has completed; read and written by the send role's holder
    private bool _receiveDone;   // the input's writer has completed; read and written by the receive role's holder
    private int _aborted, _closeRequested, _disposed;
    private readonly bool _drainOnDispose;

    /// <summary>How long a disposed socket may take to send what was written before it (see <see cref="Dispose"/>).</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private EpollSocket(Socket socket, EventLoop loop, PipeOptions sendOptions, PipeOptions receiveOptions, bool drainOnDispose)
    {
        _socket = socket;
        _loop = loop;
        _drainOnDispose = drainOnDispose;
        _input = new Pipe(receiveOptions);
        _output = new Pipe(sendOptions);
        _writer = new SendingWriter(this, _output.Writer);
    }

    /// <summary>
    /// Serves an accepted socket on <paramref name="loop"/>. The socket must not have been used for asynchronous
    /// operations: those would register it with the runtime's own epoll as well. Its <see cref="Dispose"/> lets the last
    /// bytes written go out first (a client's last response).
    /// </summary>
    public static EpollSocket Accepted(Socket socket, EventLoop loop, PipeOptions sendOptions, PipeOptions receiveOptions)
    {
        var connection = new EpollSocket(socket, loop, sendOptions, receiveOptions, drainOnDispose: true);
        // Bytes that came before the registration are reported by it: the first receive runs on the loop's thread.
        try
        {
            loop.Register(connection);
        }
        catch
        {
            connection.Close();
            throw;
        }
        return connection;
    }

    public PipeReader Input => _input.Reader;
    public PipeWriter Output => _writer;
    public long BytesRead => Volatile.Read(ref _bytesRead);
    public long BytesSent => Volatile.Read(ref _bytesSent);

    internal SafeSocketHandle Handle => _socket.SafeHandle;

    /// <summary>Set by <see cref="EventLoop.Register"/>: what this socket's events carry.</summary>
    internal ulong RegistrationId { get; set; }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>What epoll reported for this socket; on the loop's thread.</summary>
    internal void OnReadiness(uint events)
    {
        // The reported events are the socket's whole state: "writable" comes with most read events too, so sending
        // is only woken when it waits for room (read first: the exchange is a locked instruction, on every event).
        const uint Closing = Native.EPOLLERR | Native.EPOLLHUP;
        if ((events & (Native.EPOLLOUT | Closing)) != 0 && Volatile.Read(ref _sendBlocked) != 0 &&
            Interlocked.Exchange(ref _sendBlocked, 0) != 0)
        {
            _writable.Set();
        }
        // The end of stream raises no edge of its own when it arrives with the last bytes: remember it, so receiving
        // reads on past a short read until it gets the end (nginx's pending_eof).
        if ((events & (Native.EPOLLRDHUP | Closing)) != 0) Volatile.Write(ref _receiveEnded, 1);
        if ((events & (Native.EPOLLIN | Native.EPOLLRDHUP | Closing)) != 0) RequestReceive();
    }

    /// <summary>
    /// Cuts the connection from any thread: both directions are shut, so receiving reads the end and the next send
    /// fails, and whoever waits on either pipe is woken. The socket stays open until <see cref="Dispose"/>.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        try
        {
            // Through the Socket, not the system call alone: a Socket that knows it was shut closes gracefully even when
            // a system call holds its handle; otherwise it would close abortively (RST), losing unacknowledged bytes.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Not connected, or already closed.
        }
        Volatile.Write(ref _receiveEnded, 1);
        RequestReceive();
        Interlocked.Exchange(ref _sendBlocked, 0);
        _writable.Set();
    }

    /// <summary>
    /// Closes the socket. An accepted socket that was not aborted does not close over bytes still to be sent: the send
    /// role's holder closes it once nothing is left to send (PLATFORM.md: closing under a last response can lose it), or
    /// it closes after <see cref="DrainLimit"/> however much is left, for a peer that stopped reading. Otherwise, and for
    /// upstream sockets (whose unsent request bytes are worthless once the exchange is given up), at once: pending reads
    /// and flushes end.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) != 0) return;
        if (!_drainOnDispose || Volatile.Read(ref _aborted) != 0)
        {
            Close();
            return;
        }
        RequestSend();    // sends what is left, if this thread may; the pass that finds nothing more closes
        if (!IsDisposed) _ = CloseAfterDrainLimitAsync();
    }

    private async Task CloseAfterDrainLimitAsync()
    {
        await Task.Delay(DrainLimit).ConfigureAwait(false);
        Close();
    }

    /// <summary>Aborts, stops receiving and sending and closes the socket; whatever is left unsent is dropped. Idempotent.</summary>
    private void Close()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Abort();                                // wakes sending if it waits for room
        RequestSend();                          // else a pass here (or by the pass under way) ends sending
        _input.Writer.CancelPendingFlush();     // receiving that waits for its reader to catch up ends
        _loop.Unregister(this);
        _socket.Dispose();
    }

    public override string ToString()
    {
        try
        {
            return $"{_socket.LocalEndPoint} -> {_socket.RemoteEndPoint}";
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return "closed socket";
        }
    }
}
