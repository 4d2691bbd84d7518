using System.IO.Pipelines;

namespace Proxy.Engine.Upstreams;

/// <summary>
/// One keep-alive connection to a destination. Used by one request at a time; between requests it sits in
/// its destination's <see cref="UpstreamPool"/>.
/// </summary>
internal sealed class UpstreamConnection
{
    private readonly IDuplexPipe _pipe;
    private readonly IDisposable _socket;
    private int _closed;

    /// <param name="pipe">The socket's pipes: an <see cref="Sockets.EpollSocket"/> or a Pipelines.Sockets.Unofficial connection.</param>
    /// <param name="socket">What closes the socket (the same object).</param>
    /// <param name="pool">Where the connection goes back between requests.</param>
    public UpstreamConnection(IDuplexPipe pipe, IDisposable socket, UpstreamPool pool)
    {
        _pipe = pipe;
        _socket = socket;
        Pool = pool;
    }

    public UpstreamPool Pool { get; }
    public PipeReader Input => _pipe.Input;
    public PipeWriter Output => _pipe.Output;

    /// <summary>Requests this connection has carried; above 0 it came from the idle pool at least once.</summary>
    public int RequestCount { get; set; }

    /// <summary><see cref="Environment.TickCount64"/> when it was last returned to the pool.</summary>
    public long IdleSinceMs { get; set; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Whether an idle connection can carry another request: the upstream has not closed it and has not sent
    /// anything unasked (bytes between responses mean the framing is in doubt). The transport keeps
    /// reading while the connection idles, so both show up here without a syscall.
    /// </summary>
    public bool IsStillUsable()
    {
        if (IsClosed) return false;
        if (!Input.TryRead(out ReadResult result)) return true;
        bool clean = result.Buffer.IsEmpty && !result.IsCompleted && !result.IsCanceled;
        Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        return clean;
    }

    /// <summary>Closes the socket at once; pending reads and flushes end with an error or completion.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _socket.Dispose();
        Pool.OnClosed();
    }

    public override string ToString() => _socket.ToString() ?? "upstream";
}
