using System.IO.Pipelines;
using System.Net;
using Proxy.Engine.Sockets;

namespace Proxy.Engine.Connections;

/// <summary>A client's TCP connection served by one of the proxy's event loops (server.transport = "epoll").</summary>
internal sealed class EpollClientTransport(EpollSocket socket, IPAddress? remoteAddress) : IClientTransport
{
    public PipeReader Input => socket.Input;
    public PipeWriter Output => socket.Output;
    public long BytesRead => socket.BytesRead;
    public long BytesSent => socket.BytesSent;
    public IPAddress? RemoteAddress => remoteAddress;
    public bool IsHttp2Stream => false;
    public void Abort() => socket.Abort();
    public void Dispose() => socket.Dispose();
}
