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
    /// Asks for what the writer has committed to be sent, and sends it on this thread unless another thread holds the
    /// send role, which then makes one more pass (<see cref="PassRole"/>). Called after every flush, when the writer
    /// completes, on Dispose and on Close. A pass that finds the kernel's buffer full hands the role to
    /// <see cref="SendWhenWritableAsync"/>, which keeps it until it has sent the rest.
    /// </summary>
    private void RequestSend()
    {
        if (_sendRole.TakeOrRequest()) SendWhileHolding();
    }

    /// <summary>Runs passes while this thread holds the send role, gives it back, and takes it again for a request made meanwhile.</summary>
    private void SendWhileHolding()
    {
        do
        {
            SendStop stop = SendStop.Ended;
            try
            {
                stop = SendPass();
            }
            finally
            {
                // Given back however the pass ends: a bug that throws out of it must not leave this side stuck.
                if (stop != SendStop.Blocked) _sendRole.Release();
            }
            if (stop == SendStop.Blocked)
            {
                _ = SendWhenWritableAsync();
                return;
            }
        }
        while (_sendRole.TryTake());
    }

    /// <summary>Holds the send role while the kernel's buffer is full: waits for room and sends the rest, then gives the role back.</summary>
    private async Task SendWhenWritableAsync()
    {
        try
        {
            do
            {
                await WaitForRoomAsync().ConfigureAwait(false);
            }
            while (SendPass() == SendStop.Blocked);
        }
        finally
        {
            _sendRole.Release();
        }
        if (_sendRole.TryTake()) SendWhileHolding();
    }

    /// <summary>
    /// Sends what the writer has committed until nothing is left, the kernel's buffer is full or sending ends; by the
    /// holder of the send role only. When the writer has completed and everything is sent, sends the end of stream
    /// (FIN). A Dispose that waits for the bytes to go out is carried out here, once nothing is left to send.
    /// </summary>
    private SendStop SendPass()
    {
        if (_sendEnded)
        {
            CloseIfRequested();    // nothing more will go out: a Dispose need not wait
            return SendStop.Ended;
        }
        PipeReader reader = _output.Reader;
        try
        {
            while (true)
            {
                if (IsDisposed) return EndSending(null);    // closed: what is left unsent is dropped
                if (!reader.TryRead(out ReadResult read))
                {
                    CloseIfRequested();    // all sent: a Dispose that waited for it closes now
                    return SendStop.Drained;
                }
                ReadOnlySequence<byte> buffer = read.Buffer;
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
    /// reports as completed), and a Dispose that waited for the last bytes closes now.
    /// </summary>
    private SendStop EndSending(Exception? error)
    {
        _sendEnded = true;
        _output.Reader.Complete(error);
        CloseIfRequested();
        return SendStop.Ended;
    }

    /// <summary>Closes if Dispose asked for it: called by the send role's holder when nothing is left to send.</summary>
    private void CloseIfRequested()
    {
        if (Volatile.Read(ref _closeRequested) != 0) Close();
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
        if (!buffer.IsSingleSegment) return SendGathered(buffer, out errno);
        ReadOnlySpan<byte> span = buffer.FirstSpan;
        fixed (byte* start = &MemoryMarshal.GetReference(span))
        {
            nint sent = Native.Send(Handle, start, (nuint)span.Length, Native.MSG_NOSIGNAL | Native.MSG_DONTWAIT);
            errno = sent < 0 ? Native.LastErrno : 0;
            return sent;
        }
    }

    /// <summary>Several buffers in one sendmsg, each pinned for the call.</summary>
    private unsafe nint SendGathered(in ReadOnlySequence<byte> buffer, out int errno)
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
            nint sent = Native.SendMessage(Handle, &message, Native.MSG_NOSIGNAL | Native.MSG_DONTWAIT);
            errno = sent < 0 ? Native.LastErrno : 0;   // before the unpinning below, which may touch errno
            return sent;
        }
        finally
        {
            for (int i = 0; i < count; i++) pins[i].Dispose();
            ArrayPool<MemoryHandle>.Shared.Return(pins, clearArray: true);
        }
    }
}
