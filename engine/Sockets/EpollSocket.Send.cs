using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;

namespace Proxy.Engine.Sockets;

internal sealed partial class EpollSocket
{
    /// <summary>Buffers gathered into one sendmsg at most; the rest goes in the next call.</summary>
    private const int MaxVectors = 32;

    /// <summary>Where a send pass stopped.</summary>
    private enum SendStop
    {
        /// <summary>Everything committed so far is sent.</summary>
        Drained,

        /// <summary>The kernel's buffer is full: the rest waits for the writable edge.</summary>
        Blocked,

        /// <summary>Sending is over: the writer completed and all was sent, or an error, or the socket was closed.</summary>
        Ended,
    }

    /// <summary>
    /// Asks for what the writer has committed to be sent, and sends it on this thread unless another pass is under way
    /// (which then makes one more). Called after every flush, when the writer completes and when the socket closes. A
    /// pass that finds the kernel's buffer full hands the rest to <see cref="SendWhenWritableAsync"/>, which keeps the
    /// send role until it has sent it.
    /// </summary>
    /// <remarks>
    /// One pass at a time: the output pipe has one reader. A request raised while a pass runs is either seen by that
    /// pass (the flag is lowered before its first read, so the bytes committed before the request are read) or makes
    /// the loop go round again once the pass gives the role back. All flag changes are full fences.
    /// </remarks>
    private void RequestSend()
    {
        Interlocked.Exchange(ref _sendRequested, 1);
        SendWhileRequested();
    }

    private void SendWhileRequested()
    {
        while (Volatile.Read(ref _sendRequested) != 0 && Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            Interlocked.Exchange(ref _sendRequested, 0);
            if (SendPass() == SendStop.Blocked)
            {
                _ = SendWhenWritableAsync();
                return;
            }
            Interlocked.Exchange(ref _sending, 0);
        }
    }

    /// <summary>Holds the send role while the kernel's buffer is full: waits for room and sends the rest, then gives the role back.</summary>
    private async Task SendWhenWritableAsync()
    {
        do
        {
            await WaitForRoomAsync().ConfigureAwait(false);
        }
        while (SendPass() == SendStop.Blocked);
        Interlocked.Exchange(ref _sending, 0);
        SendWhileRequested();
    }

    /// <summary>
    /// Sends what the writer has committed until nothing is left, the kernel's buffer is full or sending ends; by the
    /// holder of the send role only. When the writer has completed and everything is sent, sends the end of stream (FIN).
    /// </summary>
    private SendStop SendPass()
    {
        if (_sendEnded) return SendStop.Ended;
        PipeReader reader = _output.Reader;
        try
        {
            while (true)
            {
                if (IsDisposed) return EndSending(null);    // closed: what is left unsent is dropped
                if (!reader.TryRead(out ReadResult read)) return SendStop.Drained;
                ReadOnlySequence<byte> buffer = read.Buffer;
                // Raised for the whole batch, so a Dispose on another thread meanwhile leaves the close to us.
                if (!buffer.IsEmpty) Volatile.Write(ref _sendPending, 1);
                while (!buffer.IsEmpty)
                {
                    long sent = Send(buffer, out int errno);
                    if (sent > 0)
                    {
                        Volatile.Write(ref _bytesSent, _bytesSent + sent);
                        buffer = buffer.Slice(sent);
                        continue;
                    }
                    if (errno == Native.EAGAIN)
                    {
                        reader.AdvanceTo(buffer.Start);
                        return SendStop.Blocked;
                    }
                    if (errno == Native.EINTR) continue;
                    return EndSending(Native.ToException(errno));
                }
                reader.AdvanceTo(read.Buffer.End);
                if (CloseIfDisposedWhileSending()) return EndSending(null);
                if (read.IsCompleted)
                {
                    if (Volatile.Read(ref _aborted) == 0) Native.Shutdown(Handle, Native.SHUT_WR);
                    return EndSending(null);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return EndSending(null);    // disposed between the check and the call
        }
        catch (Exception ex)
        {
            return EndSending(ex);
        }
    }

    /// <summary>
    /// Ends sending for good: the output's reader completes (with <paramref name="error"/>, which the writer's next flush
    /// reports as completed), and a close that waited for the last batch happens now.
    /// </summary>
    private SendStop EndSending(Exception? error)
    {
        _sendEnded = true;
        _output.Reader.Complete(error);
        CloseIfDisposedWhileSending();    // ended by an error with bytes unsent: nothing more will go out
        return SendStop.Ended;
    }

    /// <summary>
    /// Ends a batch: a Dispose that came while it was being sent left the close to us. The full fence of the exchange
    /// pairs with Dispose's, so one of the two sees the other and closes (both may: Close is idempotent).
    /// </summary>
    private bool CloseIfDisposedWhileSending()
    {
        if (Interlocked.Exchange(ref _sendPending, 0) == 0 || Volatile.Read(ref _closeRequested) == 0) return false;
        Close();
        return true;
    }

    /// <summary>
    /// Waits for the writable edge after a send found the kernel's buffer full. The flag is raised before the retry
    /// that precedes the wait, so an edge between the full send and the wait is seen by one or the other.
    /// </summary>
    private ValueTask WaitForRoomAsync()
    {
        if (Interlocked.Exchange(ref _sendBlocked, 1) == 0) return default;    // raised now: try once more first
        return _writable.WaitAsync();
    }

    private unsafe long Send(in ReadOnlySequence<byte> buffer, out int errno)
    {
        nint sent;
        if (buffer.IsSingleSegment)
        {
            ReadOnlySpan<byte> span = buffer.FirstSpan;
            fixed (byte* start = &MemoryMarshal.GetReference(span))
            {
                sent = Native.Send(Handle, start, (nuint)span.Length, Native.MSG_NOSIGNAL | Native.MSG_DONTWAIT);
            }
        }
        else
        {
            sent = SendGathered(buffer);
        }
        errno = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
        return sent;
    }

    /// <summary>Several buffers in one sendmsg, each pinned for the call.</summary>
    private unsafe nint SendGathered(in ReadOnlySequence<byte> buffer)
    {
        Native.IoVector* vectors = stackalloc Native.IoVector[MaxVectors];
        MemoryHandle[] pins = ArrayPool<MemoryHandle>.Shared.Rent(MaxVectors);
        int count = 0;
        try
        {
            foreach (ReadOnlyMemory<byte> segment in buffer)
            {
                if (segment.IsEmpty) continue;
                pins[count] = segment.Pin();
                vectors[count].Base = (byte*)pins[count].Pointer;
                vectors[count].Length = (nuint)segment.Length;
                if (++count == MaxVectors) break;
            }
            Native.MessageHeader message = default;
            message.Vectors = vectors;
            message.VectorCount = (nuint)count;
            return Native.SendMessage(Handle, &message, Native.MSG_NOSIGNAL | Native.MSG_DONTWAIT);
        }
        finally
        {
            for (int i = 0; i < count; i++) pins[i].Dispose();
            ArrayPool<MemoryHandle>.Shared.Return(pins, clearArray: true);
        }
    }
}
