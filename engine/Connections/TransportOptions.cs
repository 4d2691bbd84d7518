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
    /// Client connections wait for data with a zero-length read before renting a buffer, so an idle
    /// keep-alive connection holds no memory.
    /// </summary>
    public const SocketConnectionOptions Client =
        SocketConnectionOptions.InlineReads | SocketConnectionOptions.InlineWrites | SocketConnectionOptions.ZeroLengthReads;

    /// <summary>Upstream connections: same, they sit idle in pools too.</summary>
    public const SocketConnectionOptions Upstream = Client;
}
