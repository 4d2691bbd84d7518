using System.Buffers;
using System.IO.Pipelines;
using Pipelines.Sockets.Unofficial;

namespace Proxy.Engine.Connections;

/// <summary>
/// How every socket is wrapped in pipes. These settings decide most of the transport's cost (PLATFORM.md:
/// with the default schedulers Pipelines.Sockets.Unofficial costs ~54 µs and ~3 KB per request; inline, ~28 µs).
/// </summary>
internal static class TransportOptions
{
    /// <summary>Bytes buffered toward a peer before a writer waits: the unit of back-pressure.</summary>
    public const int PauseWriterThreshold = 64 * 1024;

    /// <summary>
    /// Inline schedulers: a pipe's continuation runs on the thread that completed the socket operation, with
    /// no thread-pool hop. Passing <see cref="MemoryPool{T}.Shared"/> makes the pipe rent straight from
    /// ArrayPool, with no per-segment owner object (System.IO.Pipelines special-cases it).
    /// </summary>
    public static PipeOptions Pipe { get; } = new(
        pool: MemoryPool<byte>.Shared,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: PauseWriterThreshold,
        resumeWriterThreshold: PauseWriterThreshold / 2,
        minimumSegmentSize: 4096,
        useSynchronizationContext: false);

    /// <summary>
    /// What a client connection sends is written in 4 KiB blocks from <see cref="BlockPool"/>, not ArrayPool:
    /// an HTTP/2 connection keeps up to 256 KiB of frames in flight toward its socket (64 blocks, more than ArrayPool
    /// keeps per size on a 2-core machine), written on one thread and returned on another, so ArrayPool dropped and
    /// re-allocated about 4.9 MB of arrays per 100 MB downloaded. Writes that ask for more than a block still go to
    /// ArrayPool (System.IO.Pipelines does that for any pool).
    /// </summary>
    public static PipeOptions ClientSend { get; } = new(
        pool: BlockPool.Instance,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: PauseWriterThreshold,
        resumeWriterThreshold: PauseWriterThreshold / 2,
        minimumSegmentSize: BlockPool.BlockSize,
        useSynchronizationContext: false);

    /// <summary>
    /// Continuations of socket operations run where the operation completed (no thread hop). Receives go
    /// straight into a pipe buffer: in zero-length-read mode Pipelines.Sockets.Unofficial adds an
    /// ioctl(FIONREAD) and a peek to every message, two of a request's ~eight system calls (measured: 31 µs
    /// of CPU per proxied request without it on both sides, 47 µs with it; perf/RESULTS.md).
    /// </summary>
    private const SocketConnectionOptions Inline = SocketConnectionOptions.InlineReads | SocketConnectionOptions.InlineWrites;

    /// <summary>
    /// Upstream connections keep a receive buffer while idle: their number is bounded by pool.max_idle.
    /// </summary>
    public const SocketConnectionOptions Upstream = Inline;

    /// <summary>
    /// Client connections, whose idle number is bounded only by max_connections: with
    /// <paramref name="releaseIdleBuffers"/> (server.release_idle_buffers) they wait for data with a
    /// zero-length read before taking a buffer, so an idle keep-alive connection holds no receive memory.
    /// </summary>
    public static SocketConnectionOptions Client(bool releaseIdleBuffers) =>
        releaseIdleBuffers ? Inline | SocketConnectionOptions.ZeroLengthReads : Inline;
}
