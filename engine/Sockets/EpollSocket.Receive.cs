using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Proxy.Engine.Sockets;

internal sealed partial class EpollSocket
{
    /// <summary>The least room a receive asks the pipe for: its segments are at least this large anyway.</summary>
    private const int ReceiveSize = 4096;

    /// <summary>
    /// Receives until the socket is drained, then waits for the next readable edge. Ends at the peer's end of stream
    /// (the input completes), at an error (the input completes with it), or when the reader is done.
    /// </summary>
    private async Task ReceiveLoopAsync()
    {
        PipeWriter writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                await _readable.WaitAsync().ConfigureAwait(false);
                while (true)
                {
                    if (IsDisposed) return;
                    Memory<byte> memory = writer.GetMemory(ReceiveSize);
                    int received = Receive(memory.Span, out int errno);
                    if (received > 0)
                    {
                        Volatile.Write(ref _bytesRead, _bytesRead + received);
                        writer.Advance(received);
                        FlushResult flushed = await writer.FlushAsync().ConfigureAwait(false);
                        if (flushed.IsCompleted || flushed.IsCanceled) return;
                        // Less than asked for: the socket is drained, and the next bytes will raise an edge. A full
                        // buffer may have left more behind, and no edge would come for it; nor for an end of stream
                        // reported with the bytes just read.
                        if (received < memory.Length && Volatile.Read(ref _receiveEnded) == 0) break;
                        continue;
                    }
                    if (received == 0)
                    {
                        // The peer's end of stream, or ours: cut by Abort, the input ends in an error, so a body that
                        // runs to the end of the connection is not taken as complete.
                        if (Volatile.Read(ref _aborted) != 0) error = new SocketException((int)SocketError.ConnectionAborted);
                        return;
                    }
                    if (errno == Native.EAGAIN) break;            // an edge with nothing left (already read)
                    if (errno == Native.EINTR) continue;
                    error = Native.ToException(errno);
                    return;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the call: the same as disposed before it.
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            writer.Complete(error);
        }
    }

    private unsafe int Receive(Span<byte> buffer, out int errno)
    {
        fixed (byte* start = &MemoryMarshal.GetReference(buffer))
        {
            nint received = Native.Receive(Handle, start, (nuint)buffer.Length, Native.MSG_DONTWAIT);
            errno = received < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)received;
        }
    }
}
