using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;

namespace Proxy.Engine.Sockets;

internal sealed partial class EpollSocket
{
    /// <summary>Buffers gathered into one sendmsg at most; the rest goes in the next call.</summary>
    private const int MaxVectors = 32;

    /// <summary>
    /// Sends what the writer flushes, as it flushes (inline in its flush); when the kernel's buffer is full, waits
    /// for the writable edge. When the writer completes, sends the rest and then the end of stream (FIN).
    /// </summary>
    private async Task SendLoopAsync()
    {
        PipeReader reader = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = read.Buffer;
                if (read.IsCanceled) return;    // disposed
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
                        await WaitForRoomAsync().ConfigureAwait(false);
                        if (IsDisposed) return;
                        continue;
                    }
                    if (errno == Native.EINTR) continue;
                    error = Native.ToException(errno);
                    return;
                }
                reader.AdvanceTo(read.Buffer.End);
                if (CloseIfDisposedWhileSending()) return;
                if (read.IsCompleted) break;
            }
            if (Volatile.Read(ref _aborted) == 0) Native.Shutdown(Handle, Native.SHUT_WR);
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the call.
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            reader.Complete(error);
            CloseIfDisposedWhileSending();    // ended by an error with bytes unsent: nothing more will go out
        }
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
