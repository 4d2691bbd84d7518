using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Proxy.Engine.Connections;

namespace Proxy.Engine.Http2;

/// <summary>
/// One HTTP/2 stream as the duplex pipe an <see cref="Http1ClientConnection"/> serves: the request, translated to
/// HTTP/1.1 by the HTTP/2 connection, comes in on <see cref="Input"/>; the HTTP/1.1 response goes out on
/// <see cref="Output"/> and is framed back into HEADERS and DATA by the stream's response pump.
/// </summary>
/// <remarks>
/// The request pipe never pauses its writer: the HTTP/2 read loop must never wait on one stream. What bounds it is
/// flow control: a stream's receive window is only re-opened as the HTTP/1.1 side consumes (see
/// <see cref="ConsumptionReportingReader"/>), so it holds at most one window of body. The response pipe pauses at
/// 64 KiB like a socket, which is the back-pressure from the HTTP/2 send windows to the upstream. The request pipe
/// wakes its reader on the thread pool: the HTTP/2 connection writes it under its lock and must not run the HTTP/1.1
/// side inline there. The response pipe is written and read outside that lock, so its continuations run inline (no
/// thread hop between the HTTP/1.1 side writing a response and the pump framing it).
/// <para>
/// Reused stream after stream with the <see cref="Http2Stream"/> that owns it: <see cref="Reset"/> makes both pipes new
/// (keeping their segment objects) once every end of both is completed.
/// </para>
/// </remarks>
internal sealed class Http2StreamTransport : IClientTransport
{
    private static readonly PipeOptions RequestPipeOptions = new(
        pool: Connections.BlockPool.Instance, readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.ThreadPool,
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: Connections.BlockPool.BlockSize, useSynchronizationContext: false);

    private static readonly PipeOptions ResponsePipeOptions = new(
        pool: Connections.BlockPool.Instance, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: Connections.TransportOptions.PauseWriterThreshold,
        resumeWriterThreshold: Connections.TransportOptions.PauseWriterThreshold / 2,
        minimumSegmentSize: Connections.BlockPool.BlockSize, useSynchronizationContext: false);

    private readonly Pipe _request = new(RequestPipeOptions);
    private readonly Pipe _response = new(ResponsePipeOptions);
    private readonly ConsumptionReportingReader _input;
    private long _bytesRead, _bytesSent;

    public Http2StreamTransport(IPAddress? remoteAddress, Action<long> onRequestConsumed)
    {
        RemoteAddress = remoteAddress;
        _input = new ConsumptionReportingReader(_request.Reader, onRequestConsumed);
    }

    /// <summary>
    /// Makes the transport new for the next stream. Only once nothing can touch it any more: every end of both pipes is
    /// completed (the HTTP/1.1 side disposed the transport, the pump completed the response reader, the HTTP/2 side
    /// completed the request writer), or <see cref="Pipe.Reset"/> throws.
    /// </summary>
    public void Reset()
    {
        _request.Reset();
        _response.Reset();
        _input.Reset();
        _bytesRead = 0;
        _bytesSent = 0;
    }

    /// <summary>Completes every end of both pipes: a stream that never started (a malformed request) goes back unused.</summary>
    public void CompleteAll()
    {
        _request.Writer.Complete();
        _request.Reader.Complete();
        _response.Writer.Complete();
        _response.Reader.Complete();
    }

    public PipeReader Input => _input;
    public PipeWriter Output => _response.Writer;
    public long BytesRead => Volatile.Read(ref _bytesRead);
    public long BytesSent => Volatile.Read(ref _bytesSent);
    public IPAddress? RemoteAddress { get; }
    public bool IsHttp2Stream => true;

    /// <summary>The HTTP/2 side's end of the request pipe: the translated head, then the body.</summary>
    public PipeWriter RequestWriter => _request.Writer;

    /// <summary>The HTTP/2 side's end of the response pipe.</summary>
    public PipeReader ResponseReader => _response.Reader;

    /// <summary>Counts request bytes handed to the HTTP/1.1 side (its "bytes received" in the access log).</summary>
    public void AddBytesRead(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    /// <summary>Counts response bytes taken from the HTTP/1.1 side (its "bytes sent").</summary>
    public void AddBytesSent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);

    public void Abort()
    {
        _request.Reader.CancelPendingRead();
        _response.Writer.CancelPendingFlush();
    }

    public void Dispose()
    {
        _input.Complete();
        _response.Writer.Complete();
    }
}
