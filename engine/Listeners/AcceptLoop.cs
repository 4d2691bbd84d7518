using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Pipelines.Sockets.Unofficial;
using Proxy.Engine.Config;
using Proxy.Engine.Connections;
using Proxy.Engine.Http2;
using Proxy.Engine.Server;
using Proxy.Engine.Sockets;

namespace Proxy.Engine.Listeners;

/// <summary>
/// Accepts connections on one listening socket and starts each one's HTTP/1.1 loop. At <c>limits.max_connections</c>
/// it stops accepting, so new connections wait in the kernel's backlog, and each is served when a place frees.
/// </summary>
/// <remarks>
/// A loop takes a place only for a connection it has accepted, never while it waits in accept: the listening
/// sockets of one address share the cap, but SO_REUSEPORT makes the kernel choose the socket of each new connection,
/// and a loop holding a place while blocked on an empty socket would starve a connection queued at another loop's
/// socket (and with a cap of N and N loops, every connection). The cost: each loop may hold one accepted connection
/// beyond the cap, unserved (no buffer, no request read) until a place frees; at most <c>server.workers</c> in all.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "The stop signal is disposed by StopAsync, once the loop has ended.")]
internal sealed class AcceptLoop
{
    private readonly Socket _socket;
    private readonly ServerContext _server;
    private readonly ConnectionLimiter _connectionLimit;
    private readonly ConnectionSet _listenerConnections;
    private readonly Func<IReadOnlyList<ListenerProtocol>> _protocols;
    private readonly string _endPoint;
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private volatile bool _stopping;
    private int _stopRequested;

    public AcceptLoop(Socket socket, ServerContext server, ConnectionLimiter connectionLimit, ConnectionSet listenerConnections,
        Func<IReadOnlyList<ListenerProtocol>> protocols)
    {
        _protocols = protocols;
        _socket = socket;
        _server = server;
        _connectionLimit = connectionLimit;
        _listenerConnections = listenerConnections;
        _endPoint = socket.LocalEndPoint?.ToString() ?? "?";
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Start() => _running = Task.Run(RunAsync);

    /// <summary>
    /// Stops accepting; connections already served carry on, and one accepted but still waiting for a place under
    /// max_connections is closed.
    /// </summary>
    /// <remarks>Idempotent: a second call waits for the same end.</remarks>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0)
        {
            await _running.ConfigureAwait(false);
            return;
        }
        _stopping = true;
        _stop.Cancel();          // wakes a loop waiting for a place; the callback only marks the wait abandoned
        _socket.Dispose();       // wakes a loop waiting in accept
        try
        {
            await _running.ConfigureAwait(false);
        }
        finally
        {
            _stop.Dispose();
        }
    }

    private async Task RunAsync()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException && _stopping)
            {
                break;
            }
            catch (SocketException ex)
            {
                // Out of file descriptors and similar: back off briefly rather than spin.
                Log.AcceptFailed(_server.Logger, _endPoint, ex);
                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }
            // At the cap this loop waits with the one connection it holds, and accepts nothing more meanwhile.
            if (!_connectionLimit.TryEnter() && !await _connectionLimit.EnterAsync(Timeout.InfiniteTimeSpan, _stop.Token).ConfigureAwait(false))
            {
                client.Dispose();     // stopping
                break;
            }
            IClientTransport transport;
            try
            {
                client.NoDelay = true;
                transport = Serve(client);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // This connection cannot be served (out of epoll watches, its peer already gone): close it, keep accepting.
                Log.ServeFailed(_server.Logger, _endPoint, ex);
                client.Dispose();
                _connectionLimit.Leave();
                continue;
            }
            _ = RunConnectionAsync(transport);
        }
    }

    /// <summary>The accepted socket as pipes, the way server.transport says.</summary>
    private IClientTransport Serve(Socket client)
    {
        if (_server.Transport == SocketTransport.Sockets)
        {
            return new SocketClientTransport(SocketConnection.Create(client, TransportOptions.ClientSend, TransportOptions.Pipe, _server.ClientTransport, name: "client"));
        }
        IPAddress? remoteAddress = (client.RemoteEndPoint as IPEndPoint)?.Address;
        return new EpollClientTransport(EpollSocket.Accepted(client, EventLoops.Next(), TransportOptions.ClientSend, TransportOptions.Pipe), remoteAddress);
    }

    private async Task RunConnectionAsync(IClientTransport transport)
    {
        try
        {
            IReadOnlyList<ListenerProtocol> protocols = _protocols();
            bool http1 = protocols.Contains(ListenerProtocol.Http1), h2c = protocols.Contains(ListenerProtocol.H2c);
            bool http2 = h2c;
            if (http1 && h2c)
            {
                // Both on one port: the client preface decides, per connection.
                bool? detected = await ProtocolDetection.IsHttp2Async(transport.Input, _server.Limits.HeaderTimeoutMs).ConfigureAwait(false);
                if (detected is null)
                {
                    transport.Dispose();
                    return;
                }
                http2 = detected.Value;
            }
            if (http2) await RunAsync(new Http2ClientConnection(transport, _server)).ConfigureAwait(false);
            else await RunAsync(new Http1ClientConnection(transport, _server, secure: false)).ConfigureAwait(false);
        }
        finally
        {
            _connectionLimit.Leave();
        }
    }

    private async Task RunAsync(Http1ClientConnection connection)
    {
        _listenerConnections.Add(connection);
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _listenerConnections.Remove(connection);
        }
    }

    private async Task RunAsync(Http2ClientConnection connection)
    {
        _listenerConnections.Add(connection);
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _listenerConnections.Remove(connection);
        }
    }
}
