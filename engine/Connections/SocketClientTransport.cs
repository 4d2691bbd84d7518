using System.IO.Pipelines;
using System.Net;
using Pipelines.Sockets.Unofficial;

namespace Proxy.Engine.Connections;

/// <summary>A client's TCP connection, as the pipes of Pipelines.Sockets.Unofficial.</summary>
internal sealed class SocketClientTransport(SocketConnection connection) : IClientTransport
{
    public PipeReader Input => connection.Input;
    public PipeWriter Output => connection.Output;
    public long BytesRead => connection.BytesRead;
    public long BytesSent => connection.BytesSent;
    public IPAddress? RemoteAddress => (connection.Socket.RemoteEndPoint as IPEndPoint)?.Address;
    public bool IsHttp2Stream => false;
    public void Abort() => connection.Dispose();
    public void Dispose() => connection.Dispose();
}
