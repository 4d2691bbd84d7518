using System.Net;
using System.Net.Sockets;

namespace Proxy.Engine.Listeners;

/// <summary>Opens listening sockets that share one address through SO_REUSEPORT.</summary>
internal static class ListenerSocket
{
    private const int SolSocket = 1;      // SOL_SOCKET on Linux
    private const int SoReuseAddr = 2;    // SO_REUSEADDR on Linux
    private const int SoReusePort = 15;   // SO_REUSEPORT on Linux
    private const int Backlog = 4096;

    /// <summary>
    /// Fails with <see cref="SocketError.AddressAlreadyInUse"/> when another socket, of this process or any
    /// other, is bound to <paramref name="endPoint"/>. SO_REUSEPORT lets any process of the same user join a
    /// port silently — a second proxy started by mistake would then take half the traffic — so the first
    /// socket of a listener checks with a plain bind first, as nginx without `reuseport` would fail.
    /// </summary>
    public static void EnsureFree(IPEndPoint endPoint)
    {
        if (endPoint.Port == 0 || !OperatingSystem.IsLinux()) return;
        using var probe = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // SO_REUSEADDR alone lets us bind past connections in TIME_WAIT but never shares a live listener. It is
        // set raw: on Linux .NET's ReuseAddress option also sets SO_REUSEPORT, which would let the probe join.
        probe.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6) probe.DualMode = endPoint.Address.Equals(IPAddress.IPv6Any);
        probe.Bind(endPoint);
    }

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
