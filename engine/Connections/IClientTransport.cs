using System.IO.Pipelines;
using System.Net;

namespace Proxy.Engine.Connections;

/// <summary>
/// What <see cref="Http1ClientConnection"/> needs of the bytes it serves: a duplex pipe, byte counts for the access
/// log, the peer's address for X-Forwarded-For, and a way to let go. A TCP socket (<see cref="SocketClientTransport"/>)
/// or one HTTP/2 stream translated to HTTP/1.1 (<see cref="Http2.Http2StreamTransport"/>), so both protocols share
/// one forwarding path.
/// </summary>
internal interface IClientTransport : IDisposable
{
    /// <summary>Bytes from the client.</summary>
    PipeReader Input { get; }

    /// <summary>Bytes to the client.</summary>
    PipeWriter Output { get; }

    /// <summary>Bytes received from the client so far.</summary>
    long BytesRead { get; }

    /// <summary>Bytes sent to the client so far.</summary>
    long BytesSent { get; }

    /// <summary>The client's address, when known.</summary>
    IPAddress? RemoteAddress { get; }

    /// <summary>
    /// True for an HTTP/2 stream: one request, no connection of its own to count, drain or linger on (its HTTP/2
    /// connection does that), and "2" in Via.
    /// </summary>
    bool IsHttp2Stream { get; }

    /// <summary>
    /// Cuts the transport from any thread (a timeout, shutdown): pending reads and writes end at once. <see cref="IDisposable.Dispose"/>
    /// is the connection's own last step, on its own flow.
    /// </summary>
    void Abort();
}
