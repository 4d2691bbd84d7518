using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Pipelines.Sockets.Unofficial;
using Proxy.Engine.Config;
using Proxy.Engine.Connections;
using Proxy.Engine.Sockets;
using Proxy.Engine.Timeouts;

namespace Proxy.Engine.Upstreams;

/// <summary>
/// The keep-alive connections to one destination: idle ones parked in slots, new ones opened on demand within
/// <c>max_connections</c>, idle ones closed after <c>idle_timeout</c>. Thread-safe; taking and returning an
/// idle connection is lock-free and allocates nothing.
/// </summary>
internal sealed class UpstreamPool : ITimeoutTarget, IDisposable
{
    private readonly IdleConnectionSlots _idle;
    private readonly ConnectionLimiter _limiter;
    private readonly List<UpstreamConnection> _expired = [];   // used by the heartbeat thread only
    private long _opened, _reused, _closed;
    private int _open;
    private bool _disposed;

    private readonly SocketTransport _transport;

    public UpstreamPool(EndPoint endPoint, PoolConfig settings, SocketTransport transport)
    {
        EndPoint = endPoint;
        Settings = settings;
        _transport = transport;
        _idle = new IdleConnectionSlots(settings.MaxIdle);
        _limiter = new ConnectionLimiter(settings.MaxConnections);
    }

    public EndPoint EndPoint { get; }
    public PoolConfig Settings { get; }

    public int OpenConnections => Volatile.Read(ref _open);
    public int InUse => _limiter.InUse;
    /// <summary>Connections parked for reuse now (a scan of the slots; for the admin API).</summary>
    public int Idle => _idle.Count;
    public long Opened => Interlocked.Read(ref _opened);
    public long Reused => Interlocked.Read(ref _reused);
    public long Closed => Interlocked.Read(ref _closed);

    /// <summary>
    /// A connection for one request: an idle one when there is a usable one, else a new one. On success give
    /// it back with <see cref="Release"/> whatever happens; on failure there is nothing to give back.
    /// </summary>
    public ValueTask<(AcquireStatus Status, UpstreamConnection? Connection)> AcquireAsync()
    {
        if (!_limiter.TryEnter()) return WaitThenAcquireAsync(reuseIdle: true);
        UpstreamConnection? idle = TakeIdle();
        if (idle is not null) return new((AcquireStatus.Acquired, idle));
        return ConnectAsync();
    }

    /// <summary>
    /// A connection certainly never used before: for retrying a request whose reused connection turned out to
    /// have been closed by the upstream while idle.
    /// </summary>
    public ValueTask<(AcquireStatus Status, UpstreamConnection? Connection)> AcquireNewAsync()
    {
        if (!_limiter.TryEnter()) return WaitThenAcquireAsync(reuseIdle: false);
        return ConnectAsync();
    }

    /// <summary>
    /// Ends a request's use of <paramref name="connection"/>: parked for reuse when <paramref name="reusable"/>
    /// and there is room, else closed. Frees the request's place under max_connections either way.
    /// </summary>
    public void Release(UpstreamConnection connection, bool reusable)
    {
        connection.RequestCount++;
        if (reusable && !Volatile.Read(ref _disposed) && !connection.IsClosed)
        {
            connection.IdleSinceMs = Environment.TickCount64;
            if (!_idle.TryAdd(connection)) connection.Close();
        }
        else
        {
            connection.Close();
        }
        _limiter.Leave();
    }

    /// <summary>Counts a connection closing, whoever closed it.</summary>
    internal void OnClosed()
    {
        Interlocked.Decrement(ref _open);
        Interlocked.Increment(ref _closed);
    }

    private UpstreamConnection? TakeIdle()
    {
        while (_idle.TryTake() is { } candidate)
        {
            if (candidate.IsStillUsable())
            {
                Interlocked.Increment(ref _reused);
                return candidate;
            }
            candidate.Close();
        }
        return null;
    }

    private async ValueTask<(AcquireStatus, UpstreamConnection?)> WaitThenAcquireAsync(bool reuseIdle)
    {
        if (!await _limiter.EnterAsync(Settings.ConnectTimeout).ConfigureAwait(false))
        {
            return (AcquireStatus.PoolExhausted, null);
        }
        UpstreamConnection? idle = reuseIdle ? TakeIdle() : null;
        if (idle is not null) return (AcquireStatus.Acquired, idle);
        return await ConnectAsync().ConfigureAwait(false);
    }

    /// <summary>Opens a connection under a place already taken; frees the place when it fails.</summary>
    private ValueTask<(AcquireStatus, UpstreamConnection?)> ConnectAsync() =>
        _transport == SocketTransport.Epoll ? ConnectOnEventLoopAsync() : ConnectWithSocketsAsync();

    /// <summary>
    /// <see cref="ConnectAsync"/> for server.transport "epoll": the connection is served by the calling thread's event
    /// loop when it runs on one (a request's two sockets then share a thread), else by the next loop in turn.
    /// </summary>
    private async ValueTask<(AcquireStatus, UpstreamConnection?)> ConnectOnEventLoopAsync()
    {
        using var timeout = new CancellationTokenSource(Settings.ConnectTimeout);
        EpollSocket socket;
        try
        {
            socket = await EpollSocket.ConnectAsync(EndPoint, EventLoops.ForThisThread(), TransportOptions.Pipe, TransportOptions.Pipe, timeout.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return ConnectFailed(timeout.IsCancellationRequested);
        }
        return Connected(socket, socket);
    }

    /// <summary><see cref="ConnectAsync"/> for server.transport "sockets".</summary>
    private async ValueTask<(AcquireStatus, UpstreamConnection?)> ConnectWithSocketsAsync()
    {
        var socket = new Socket(EndPoint.AddressFamily is AddressFamily.Unspecified ? AddressFamily.InterNetwork : EndPoint.AddressFamily,
            SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Settings.ConnectTimeout);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(EndPoint, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return ConnectFailed(timeout.IsCancellationRequested);
        }
        var transport = SocketConnection.Create(socket, TransportOptions.Pipe, TransportOptions.Upstream, name: "upstream");
        return Connected(transport, transport);
    }

    /// <summary>A new connection, counted as open, whichever transport opened it.</summary>
    private (AcquireStatus, UpstreamConnection?) Connected(IDuplexPipe pipe, IDisposable socket)
    {
        Interlocked.Increment(ref _open);
        Interlocked.Increment(ref _opened);
        return (AcquireStatus.Acquired, new UpstreamConnection(pipe, socket, this));
    }

    /// <summary>A connect that failed or timed out: its place under max_connections is freed.</summary>
    private (AcquireStatus, UpstreamConnection?) ConnectFailed(bool timedOut)
    {
        _limiter.Leave();
        return (timedOut ? AcquireStatus.ConnectTimeout : AcquireStatus.ConnectFailed, null);
    }

    public void OnHeartbeat(long nowMs)
    {
        _idle.RemoveIdleSince(nowMs - (long)Settings.IdleTimeout.TotalMilliseconds, _expired);
        CloseAll(_expired);
    }

    /// <summary>Closes the idle connections and parks no more; connections in use close when released.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        var all = new List<UpstreamConnection>();
        _idle.RemoveAll(all);
        CloseAll(all);
    }

    private static void CloseAll(List<UpstreamConnection> connections)
    {
        foreach (UpstreamConnection connection in connections) connection.Close();
        connections.Clear();
    }
}
