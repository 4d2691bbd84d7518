using System.IO.Pipelines;

namespace Proxy.Engine.Sockets;

internal sealed partial class EpollSocket
{
    /// <summary>
    /// The output pipe's writer, sending as it flushes: each flush (and the completion) sends what was committed on the
    /// flushing thread, rather than waking a send loop through the pipe (an async resumption per flush). The pipe still
    /// holds the bytes, so back-pressure works as before: a flush waits while more than the pause threshold is unsent.
    /// </summary>
    private sealed class SendingWriter(EpollSocket socket, PipeWriter pipe) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => pipe.CanGetUnflushedBytes;

        public override long UnflushedBytes => pipe.UnflushedBytes;

        public override Memory<byte> GetMemory(int sizeHint = 0) => pipe.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => pipe.GetSpan(sizeHint);

        public override void Advance(int bytes) => pipe.Advance(bytes);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            // Committed first; a flush that must wait for the bytes to drain completes as the send below consumes them.
            ValueTask<FlushResult> flushed = pipe.FlushAsync(cancellationToken);
            socket.RequestSend();
            return flushed;
        }

        public override void CancelPendingFlush() => pipe.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            pipe.Complete(exception);
            socket.RequestSend();   // the rest, then the end of stream
        }
    }
}
