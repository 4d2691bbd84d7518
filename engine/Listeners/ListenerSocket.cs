using System.Net;
using System.Net.Sockets;

namespace Proxy.Engine.Listeners;

/// <summary>Opens listening sockets that share one address through SO_REUSEPORT.</summary>
internal static class ListenerSocket
{
    private const int SolSocket = 1;      // SOL_SOCKET on Linux
    private const int SoReusePort = 15;   // SO_REUSEPORT on Linux
    private const int Backlog = 4096;

    /// <summary>
    /// Binds and listens on <paramref name="endPoint"/> with SO_REUSEPORT, so several sockets (one accept loop
    /// each) can share the address and the kernel spreads new connections across them.
    /// </summary>
    public static Socket Open(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = endPoint.Address.Equals(IPAddress.IPv6Any);
            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
