using System.Runtime.CompilerServices;
using Proxy.Engine.Async;
using System.Buffers;
using System.IO.Pipelines;
using Proxy.Engine.Forwarding;
using Proxy.Protocols.Http1;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Http2;

internal sealed partial class Http2ClientConnection
{
    /// <summary>
    /// Reads the HTTP/1.1 response the stream's <see cref="Connections.Http1ClientConnection"/> writes, and sends it
    /// as HEADERS (1xx passed on as interim HEADERS) and DATA: the body de-framed (content-length, chunked, or until the
    /// pipe ends), hop-by-hop fields dropped, chunked trailers sent as a last HEADERS (Http2ClientConnection.ResponseTrailers.cs).
    /// A response that cannot be completed resets the stream (INTERNAL_ERROR):
    /// in HTTP/2 that is how a client learns a body was cut.
    /// </summary>
    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private async ValueTask PumpResponseAsync(Http2Stream stream)
    {
        PipeReader input = stream.Transport.ResponseReader;
        ResponseHead head = _server.ResponseHeads.Get();
        bool completed = false;
        try
        {
            completed = await RelayResponseAsync(stream, input, head).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A head or chunk the HTTP/1.1 side cannot have written, or a pipe gone: a cut response. Anything else is a bug.
            if (!(ex is HttpRejectException || BodyCopier.IsIoFailure(ex) || ex is InvalidOperationException)) Server.Log.ConnectionFailed(_server.Logger, this, ex);
        }
        finally
        {
            _server.ResponseHeads.Return(head);
            await input.CompleteAsync().ConfigureAwait(false);
            if (!completed)
            {
                bool gone;
                lock (_sync) gone = stream.ResponseEnded;
                if (!gone) ResetStream(stream.Id, Http2ErrorCode.InternalError);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<bool> RelayResponseAsync(Http2Stream stream, PipeReader input, ResponseHead head)
    {
        while (true)
        {
            ReadResult read = await input.ReadAsync().ConfigureAwait(false);
            if (read.IsCanceled) return false;
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (!ResponseHeadParser.TryParse(buffer, head, stream.Method, out SequencePosition consumed))
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted) return false;
                continue;
            }
            stream.Transport.AddBytesSent(buffer.Slice(0, consumed).Length);
            input.AdvanceTo(consumed);
            if (!head.IsInterim) break;
            // 1xx (100, 103) go on as interim HEADERS (RFC 9113 §8.1); 101 cannot happen: Upgrade is never forwarded.
            if (head.StatusCode != 101 && !WriteHeaders(stream, head, endStream: false)) return false;
        }

        if (head.Framing == BodyFraming.None || (head.Framing == BodyFraming.ContentLength && head.ContentLength == 0))
        {
            return WriteHeaders(stream, head, endStream: true);
        }
        if (!WriteHeaders(stream, head, endStream: false)) return false;
        return head.Framing switch
        {
            BodyFraming.ContentLength => await RelayExactAsync(stream, input, head.ContentLength).ConfigureAwait(false),
            BodyFraming.Chunked => await RelayChunkedAsync(stream, input).ConfigureAwait(false),
            _ => await RelayUntilEndAsync(stream, input).ConfigureAwait(false),
        };
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<bool> RelayExactAsync(Http2Stream stream, PipeReader input, long length)
    {
        long remaining = length;
        while (remaining > 0)
        {
            ReadResult read = await input.ReadAsync().ConfigureAwait(false);
            if (read.IsCanceled) return false;
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (buffer.IsEmpty && read.IsCompleted) return false;
            ReadOnlySequence<byte> slice = buffer.Length > remaining ? buffer.Slice(0, remaining) : buffer;
            remaining -= slice.Length;
            bool sent = await SendDataAsync(stream, slice, endStream: remaining == 0).ConfigureAwait(false);
            stream.Transport.AddBytesSent(slice.Length);
            input.AdvanceTo(slice.End);
            if (!sent) return false;
        }
        return true;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<bool> RelayChunkedAsync(Http2Stream stream, PipeReader input)
    {
        var decoder = new ChunkedDecoder(ChunkedLimits.Default);
        ArrayBufferWriter<byte>? trailers = null;
        while (true)
        {
            ReadResult read = await input.ReadAsync().ConfigureAwait(false);
            if (read.IsCanceled) return false;
            ReadOnlySequence<byte> buffer = read.Buffer;
            ChunkedDecodeStatus status = DecodeNext(ref decoder, buffer, out ReadOnlySequence<byte> data, out SequencePosition position);
            switch (status)
            {
                case ChunkedDecodeStatus.Data:
                    bool sent = await SendDataAsync(stream, data, endStream: false).ConfigureAwait(false);
                    stream.Transport.AddBytesSent(buffer.Slice(0, position).Length);
                    input.AdvanceTo(position);
                    if (!sent) return false;
                    break;
                case ChunkedDecodeStatus.TrailerField:
                    // Kept until the body ends, when they go as one field block after the last DATA (RFC 9113 §8.1);
                    // only a response that has trailers pays for the copy.
                    KeepTrailerLine(trailers ??= new ArrayBufferWriter<byte>(256), data);
                    input.AdvanceTo(position);
                    break;
                case ChunkedDecodeStatus.Done:
                    input.AdvanceTo(position);
                    if (trailers is not null) return WriteTrailers(stream, trailers.WrittenSpan);
                    return await SendDataAsync(stream, ReadOnlySequence<byte>.Empty, endStream: true).ConfigureAwait(false);
                default:
                    input.AdvanceTo(position, buffer.End);
                    if (read.IsCompleted) return false;
                    break;
            }
        }
    }

    private static ChunkedDecodeStatus DecodeNext(ref ChunkedDecoder decoder, in ReadOnlySequence<byte> buffer,
        out ReadOnlySequence<byte> data, out SequencePosition position)
    {
        var reader = new SequenceReader<byte>(buffer);
        ChunkedDecodeStatus status = decoder.Decode(ref reader, out data);
        position = reader.Position;
        return status;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private async ValueTask<bool> RelayUntilEndAsync(Http2Stream stream, PipeReader input)
    {
        while (true)
        {
            ReadResult read = await input.ReadAsync().ConfigureAwait(false);
            if (read.IsCanceled) return false;
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (buffer.IsEmpty && read.IsCompleted)
            {
                return await SendDataAsync(stream, ReadOnlySequence<byte>.Empty, endStream: true).ConfigureAwait(false);
            }
            bool sent = await SendDataAsync(stream, buffer, endStream: false).ConfigureAwait(false);
            stream.Transport.AddBytesSent(buffer.Length);
            input.AdvanceTo(buffer.End);
            if (!sent) return false;
        }
    }
}
