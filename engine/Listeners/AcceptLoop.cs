using System.Net;
using System.Net.Sockets;
using Pipelines.Sockets.Unofficial;
using Proxy.Engine.Connections;
using Proxy.Engine.Server;

namespace Proxy.Engine.Listeners;

/// <summary>
/// Accepts connections on one listening socket and starts each one's HTTP/1.1 loop. Under
/// <c>limits.max_connections</c> it stops accepting, so new connections wait in the kernel's backlog.
/// </summary>
internal sealed class AcceptLoop
{
    private readonly Socket _socket;
    private readonly ServerContext _server;
    private readonly ConnectionLimiter _connectionLimit;
    private readonly ConnectionSet _listenerConnections;
    private readonly string _endPoint;
    private Task _running = Task.CompletedTask;
    private volatile bool _stopping;

    public AcceptLoop(Socket socket, ServerContext server, ConnectionLimiter connectionLimit, ConnectionSet listenerConnections)
    {
        _socket = socket;
        _server = server;
        _connectionLimit = connectionLimit;
        _listenerConnections = listenerConnections;
        _endPoint = socket.LocalEndPoint?.ToString() ?? "?";
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Start() => _running = Task.Run(RunAsync);

    /// <summary>Stops accepting; connections already accepted carry on.</summary>
    public Task StopAsync()
    {
        _stopping = true;
        _socket.Dispose();
        return _running;
    }

    private async Task RunAsync()
    {
        while (!_stopping)
        {
            if (!_connectionLimit.TryEnter()) await _connectionLimit.EnterAsync(Timeout.InfiniteTimeSpan).ConfigureAwait(false);
            Socket client;
            try
            {
                client = await _socket.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException && _stopping)
            {
                _connectionLimit.Leave();
                break;
            }
            catch (SocketException ex)
            {
                // Out of file descriptors and similar: back off briefly rather than spin.
                _connectionLimit.Leave();
                Log.AcceptFailed(_server.Logger, _endPoint, ex);
                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }
            client.NoDelay = true;
            var transport = SocketConnection.Create(client, TransportOptions.Pipe, _server.ClientTransport, name: "client");
            var connection = new Http1ClientConnection(transport, _server, secure: false);
            _ = RunConnectionAsync(connection);
        }
    }

    private async Task RunConnectionAsync(Http1ClientConnection connection)
    {
        _listenerConnections.Add(connection);
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _listenerConnections.Remove(connection);
            _connectionLimit.Leave();
        }
    }
}
