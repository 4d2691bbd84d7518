using Proxy.Engine.Async;
using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Proxy.Engine.Timeouts;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Forwarding;

/// <summary>
/// Streams a body from one pipe to another with back-pressure (a flush waits while the receiver is
/// <see cref="Connections.TransportOptions.PauseWriterThreshold"/> behind), re-framing it on the way when
/// the two sides frame differently. One per client connection, used by one copy at a time; the chunked
/// decoder's state lives here between reads. Every await re-arms the body idle timeout.
/// Malformed chunked input throws <see cref="HttpRejectException"/>.
/// </summary>
internal sealed class BodyCopier
{
    private readonly ConnectionDeadline _deadline;
    private ChunkedDecoder _decoder;
    private bool _lastChunkWritten;

    public BodyCopier(ConnectionDeadline deadline) => _deadline = deadline;

    /// <summary>Bytes of body data (not framing) the last copy delivered.</summary>
    public long BytesCopied { get; private set; }

    /// <summary>Copies exactly <paramref name="length"/> bytes.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public async ValueTask<CopyResult> CopyExactAsync(PipeReader source, PipeWriter destination, long length, long idleTimeoutMs)
    {
        BytesCopied = 0;
        long remaining = length;
        while (remaining > 0)
        {
            ReadResult read;
            try
            {
                _deadline.Arm(DeadlineKind.BodyIdle, idleTimeoutMs, null);
                read = await source.ReadAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsIoFailure(ex))
            {
                return CopyResult.SourceFailed;
            }
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (read.IsCanceled) return CopyResult.SourceFailed;
            if (buffer.IsEmpty && read.IsCompleted) return CopyResult.SourceEnded;

            ReadOnlySequence<byte> slice = buffer.Length > remaining ? buffer.Slice(0, remaining) : buffer;
            WriteRaw(destination, slice);
            remaining -= slice.Length;
            BytesCopied += slice.Length;
            source.AdvanceTo(slice.End);
            if (!await FlushAsync(destination, idleTimeoutMs).ConfigureAwait(false)) return CopyResult.DestinationFailed;
        }
        _deadline.Disarm();
        return CopyResult.Completed;
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes into <paramref name="destination"/> (a body kept for replay).</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public async ValueTask<CopyResult> ReadExactAsync(PipeReader source, byte[] destination, int length, long idleTimeoutMs)
    {
        BytesCopied = 0;
        int filled = 0;
        while (filled < length)
        {
            ReadResult read;
            try
            {
                _deadline.Arm(DeadlineKind.BodyIdle, idleTimeoutMs, null);
                read = await source.ReadAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsIoFailure(ex))
            {
                return CopyResult.SourceFailed;
            }
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (read.IsCanceled) return CopyResult.SourceFailed;
            if (buffer.IsEmpty && read.IsCompleted) return CopyResult.SourceEnded;

            ReadOnlySequence<byte> slice = buffer.Length > length - filled ? buffer.Slice(0, length - filled) : buffer;
            slice.CopyTo(destination.AsSpan(filled));
            filled += (int)slice.Length;
            source.AdvanceTo(slice.End);
        }
        _deadline.Disarm();
        BytesCopied = filled;
        return CopyResult.Completed;
    }

    /// <summary>
    /// Decodes a chunked body and writes it re-encoded as chunked (<paramref name="reencode"/>) or as bare data
    /// for a close-delimited receiver. Trailers go through only when re-encoding, less the fields TrailerFieldFilter refuses. Stops with
    /// <see cref="CopyResult.TooLarge"/> once more than <paramref name="maxBytes"/> of data went through.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public async ValueTask<CopyResult> CopyChunkedAsync(PipeReader source, PipeWriter destination, bool reencode,
        ChunkedLimits limits, long maxBytes, long idleTimeoutMs)
    {
        BytesCopied = 0;
        _decoder = new ChunkedDecoder(limits);
        _lastChunkWritten = false;
        while (true)
        {
            ReadResult read;
            try
            {
                _deadline.Arm(DeadlineKind.BodyIdle, idleTimeoutMs, null);
                read = await source.ReadAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsIoFailure(ex))
            {
                return CopyResult.SourceFailed;
            }
            if (read.IsCanceled) return CopyResult.SourceFailed;

            ReadOnlySequence<byte> buffer = read.Buffer;
            ChunkedDecodeStatus status;
            SequencePosition consumed;
            try
            {
                status = DecodeAvailable(buffer, destination, reencode, out consumed);
            }
            catch (HttpRejectException)
            {
                // Give the read back before the rejection travels up: the connection then closes, and its lingering
                // close must be able to read (and drop) what the client still sends, or the kernel's reset could
                // destroy the 400 before the client reads it.
                source.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }
            source.AdvanceTo(consumed, buffer.End);
            if (BytesCopied > maxBytes) return CopyResult.TooLarge;
            if (!await FlushAsync(destination, idleTimeoutMs).ConfigureAwait(false)) return CopyResult.DestinationFailed;
            if (status == ChunkedDecodeStatus.Done)
            {
                _deadline.Disarm();
                return CopyResult.Completed;
            }
            if (read.IsCompleted) return CopyResult.SourceEnded;
        }
    }

    /// <summary>
    /// Copies until the source closes: a close-delimited upstream body, sent on as chunks
    /// (<paramref name="asChunks"/>) or bare.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    public async ValueTask<CopyResult> CopyUntilCloseAsync(PipeReader source, PipeWriter destination, bool asChunks, long idleTimeoutMs)
    {
        BytesCopied = 0;
        while (true)
        {
            ReadResult read;
            try
            {
                _deadline.Arm(DeadlineKind.BodyIdle, idleTimeoutMs, null);
                read = await source.ReadAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (IsIoFailure(ex))
            {
                return CopyResult.SourceFailed;
            }
            if (read.IsCanceled) return CopyResult.SourceFailed;

            ReadOnlySequence<byte> buffer = read.Buffer;
            if (!buffer.IsEmpty)
            {
                if (asChunks) ChunkedEncoder.WriteChunk(destination, buffer);
                else WriteRaw(destination, buffer);
                BytesCopied += buffer.Length;
            }
            source.AdvanceTo(buffer.End);
            if (read.IsCompleted)
            {
                if (asChunks)
                {
                    ChunkedEncoder.WriteLastChunk(destination);
                    ChunkedEncoder.WriteEnd(destination);
                }
                bool flushed = await FlushAsync(destination, idleTimeoutMs).ConfigureAwait(false);
                _deadline.Disarm();
                return flushed ? CopyResult.Completed : CopyResult.DestinationFailed;
            }
            if (!await FlushAsync(destination, idleTimeoutMs).ConfigureAwait(false)) return CopyResult.DestinationFailed;
        }
    }

    /// <summary>Runs the decoder over what has arrived, writing what it yields. Synchronous: the reader is a ref struct.</summary>
    private ChunkedDecodeStatus DecodeAvailable(in ReadOnlySequence<byte> buffer, PipeWriter destination, bool reencode,
        out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            ChunkedDecodeStatus status = _decoder.Decode(ref reader, out ReadOnlySequence<byte> data);
            switch (status)
            {
                case ChunkedDecodeStatus.Data:
                    if (reencode) ChunkedEncoder.WriteChunk(destination, data);
                    else WriteRaw(destination, data);
                    BytesCopied += data.Length;
                    continue;
                case ChunkedDecodeStatus.TrailerField:
                    if (reencode && MayPassOn(data))
                    {
                        WriteLastChunkOnce(destination);
                        ChunkedEncoder.WriteTrailerField(destination, data);
                    }
                    continue;
                case ChunkedDecodeStatus.Done:
                    if (reencode)
                    {
                        WriteLastChunkOnce(destination);
                        ChunkedEncoder.WriteEnd(destination);
                    }
                    consumed = reader.Position;
                    return status;
                default:
                    consumed = reader.Position;
                    return status;
            }
        }
    }

    // A trailer field line ("name: value") whose name TrailerFieldFilter allows. Forbidden names are at most 19 bytes,
    // so the line's first 20 bytes decide: a longer name is allowed unless it starts with "if-".
    private static bool MayPassOn(in ReadOnlySequence<byte> fieldLine)
    {
        Span<byte> start = stackalloc byte[20];
        int length = (int)Math.Min(fieldLine.Length, start.Length);
        fieldLine.Slice(0, length).CopyTo(start);
        int colon = start[..length].IndexOf((byte)':');
        return TrailerFieldFilter.IsAllowed(start[..(colon >= 0 ? colon : length)]);
    }

    private void WriteLastChunkOnce(PipeWriter destination)
    {
        if (_lastChunkWritten) return;
        ChunkedEncoder.WriteLastChunk(destination);
        _lastChunkWritten = true;
    }

    private static void WriteRaw(PipeWriter destination, in ReadOnlySequence<byte> data)
    {
        foreach (ReadOnlyMemory<byte> segment in data) destination.Write(segment.Span);
    }

    /// <summary>Flushes; false when the receiving side is gone.</summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<bool> FlushAsync(PipeWriter destination, long idleTimeoutMs)
    {
        try
        {
            _deadline.Arm(DeadlineKind.BodyIdle, idleTimeoutMs, null);
            ValueTask<FlushResult> pending = destination.FlushAsync();
            FlushResult flushed = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
            return !flushed.IsCompleted && !flushed.IsCanceled;
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            return false;
        }
    }

    /// <summary>What a pipe over a socket throws when the socket fails or is cut under it.</summary>
    internal static bool IsIoFailure(Exception ex) =>
        ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException;
}
