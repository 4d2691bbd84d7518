using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Proxy.Engine.Sockets;

internal sealed partial class EpollSocket
{
    /// <summary>The least room a receive asks the pipe for: its segments are at least this large anyway.</summary>
    private const int ReceiveSize = 4096;

    /// <summary>Where a receive pass stopped.</summary>
    private enum ReceiveStop
    {
        /// <summary>The socket is drained: the next bytes raise an edge.</summary>
        Drained,

        /// <summary>The input's reader is behind: receiving goes on once the flush completes.</summary>
        FlushPending,

        /// <summary>Receiving is over: the peer's end of stream, an error, the reader done, or the socket closed.</summary>
        Ended,
    }

    /// <summary>
    /// Asks for the socket to be read, and reads it on this thread unless another thread holds the receive role, which
    /// then makes one more pass (<see cref="PassRole"/>): on readiness (on the event loop's thread, as socket completions
    /// run with inline completions), after a connect and on Abort. What a pass receives is flushed to the input's reader
    /// inline, so a request is parsed and forwarded inside the pass that read it.
    /// </summary>
    private void RequestReceive()
    {
        if (_receiveRole.TakeOrRequest()) ReceiveWhileHolding();
    }

    /// <summary>Runs passes while this thread holds the receive role, gives it back, and takes it again for a request made meanwhile.</summary>
    private void ReceiveWhileHolding()
    {
        do
        {
            ReceiveStop stop = ReceiveStop.Ended;
            ValueTask<FlushResult> flush = default;
            try
            {
                stop = ReceivePass(out flush);
            }
            finally
            {
                // Given back however the pass ends: a bug that throws out of it must not leave this side stuck.
                if (stop != ReceiveStop.FlushPending) _receiveRole.Release();
            }
            if (stop == ReceiveStop.FlushPending)
            {
                _ = ReceiveAfterFlushAsync(flush);
                return;
            }
        }
        while (_receiveRole.TryTake());
    }

    /// <summary>Holds the receive role while the reader is behind: waits for it, receives on, then gives the role back.</summary>
    private async Task ReceiveAfterFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            ReceiveStop stop;
            do
            {
                FlushResult flushed;
                try
                {
                    flushed = await flush.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    EndReceiving(ex);
                    break;
                }
                // The bytes before the wait may have drained the socket: then this pass finds nothing (one EAGAIN) and
                // the next edge brings more. Rare (the reader was 64 KiB behind); not worth remembering the read's size.
                stop = flushed.IsCompleted || flushed.IsCanceled ? EndReceiving(null) : ReceivePass(out flush);
            }
            while (stop == ReceiveStop.FlushPending);
        }
        finally
        {
            _receiveRole.Release();
        }
        if (_receiveRole.TryTake()) ReceiveWhileHolding();
    }

    /// <summary>
    /// Receives until the socket is drained, the reader falls behind or receiving ends; by the holder of the receive
    /// role only. A receive that fills less than it asked for has drained the socket, unless the peer's end of stream
    /// was reported: then it reads on to the end, for which no edge of its own would come.
    /// </summary>
    private ReceiveStop ReceivePass(out ValueTask<FlushResult> pendingFlush)
    {
        pendingFlush = default;
        if (_receiveDone) return ReceiveStop.Ended;
        PipeWriter writer = _input.Writer;
        try
        {
            while (true)
            {
                if (IsDisposed) return EndReceiving(null);
                Memory<byte> memory = writer.GetMemory(ReceiveSize);
                int received = Receive(memory.Span, out int errno);
                if (received > 0)
                {
                    Volatile.Write(ref _bytesRead, _bytesRead + received);
                    writer.Advance(received);
                    // The reader runs inline here: a whole request can be served inside this flush.
                    ValueTask<FlushResult> flush = writer.FlushAsync();
                    if (!flush.IsCompleted)
                    {
                        pendingFlush = flush;
                        return ReceiveStop.FlushPending;
                    }
                    FlushResult flushed = flush.Result;
                    if (flushed.IsCompleted || flushed.IsCanceled) return EndReceiving(null);
                    if (received < memory.Length && Volatile.Read(ref _receiveEnded) == 0) return ReceiveStop.Drained;
                    continue;
                }
                if (received == 0)
                {
                    // The peer's end of stream, or ours: cut by Abort, the input ends in an error, so a body that
                    // runs to the end of the connection is not taken as complete.
                    return EndReceiving(Volatile.Read(ref _aborted) != 0 ? new SocketException((int)SocketError.ConnectionAborted) : null);
                }
                if (errno == Native.EAGAIN) return ReceiveStop.Drained;    // an edge with nothing left (already read)
                if (errno == Native.EINTR) continue;
                return EndReceiving(Native.ToException(errno));
            }
        }
        catch (ObjectDisposedException)
        {
            return EndReceiving(null);    // disposed between the check and the call
        }
        catch (Exception ex)
        {
            return EndReceiving(ex);
        }
    }

    /// <summary>Ends receiving for good: the input's writer completes, with <paramref name="error"/> for its reader.</summary>
    private ReceiveStop EndReceiving(Exception? error)
    {
        _receiveDone = true;
        _input.Writer.Complete(error);
        return ReceiveStop.Ended;
    }

    private unsafe int Receive(Span<byte> buffer, out int errno)
    {
        fixed (byte* start = &MemoryMarshal.GetReference(buffer))
        {
            nint received = Native.Receive(Handle, start, (nuint)buffer.Length, Native.MSG_DONTWAIT);
            errno = received < 0 ? Native.LastErrno : 0;
            return (int)received;
        }
    }
}
