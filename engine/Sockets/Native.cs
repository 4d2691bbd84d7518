using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Proxy.Engine.Sockets;

/// <summary>
/// The Linux system calls the epoll transport makes itself, instead of through System.Net.Sockets: that layer
/// always tries a receive before it waits for readiness, so every message costs one receive that finds nothing
/// (EAGAIN). Sockets are passed as <see cref="SafeSocketHandle"/>: the marshaller holds a reference for the length of
/// the call, so a socket closed on another thread is never closed (and its number reused) under a call in flight.
/// </summary>
internal static unsafe partial class Native
{
    private const string Libc = "libc";

    public const int EAGAIN = 11, EINTR = 4, EINPROGRESS = 115, ENOTCONN = 107;

    public const uint EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10, EPOLLRDHUP = 0x2000, EPOLLET = 1u << 31;
    public const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    public const int EPOLL_CLOEXEC = 0x80000;

    public const int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
    public const int SHUT_WR = 1, SHUT_RDWR = 2;
    public const int SOL_SOCKET = 1, SO_ERROR = 4;

    /// <summary>
    /// struct epoll_event is packed on x86-64 (12 bytes) and naturally aligned elsewhere (16 bytes); the event
    /// buffer is read with this stride and the data field at this offset.
    /// </summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate(int flags);

    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollControl(int epoll, int operation, SafeSocketHandle socket, byte* epollEvent);

    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epoll, byte* events, int maxEvents, int timeoutMs);

    // The data calls, made several times per request, skip the runtime's transition to native code and back (a
    // frame pushed and popped, a thread lookup, a poll for a pending GC): always called with MSG_DONTWAIT, they never
    // wait for the network, and they call nothing of ours. While one runs a GC waits for it, as it would for managed
    // code: usually a few microseconds (a loopback send runs the peer's receive too), longer for a large gathered
    // send or when another thread holds the socket's lock. What runs between the call and the read of errno (the
    // handle's release, a GC poll) leaves errno alone, so it is read only on failure (LastErrno) instead of being
    // saved around every call.

    [LibraryImport(Libc, EntryPoint = "recv")]
    [SuppressGCTransition]
    public static partial nint Receive(SafeSocketHandle socket, byte* buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "send")]
    [SuppressGCTransition]
    public static partial nint Send(SafeSocketHandle socket, byte* buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "sendmsg")]
    [SuppressGCTransition]
    public static partial nint SendMessage(SafeSocketHandle socket, MessageHeader* message, int flags);

    /// <summary>errno, as the last failed <see cref="Receive"/>, <see cref="Send"/> or <see cref="SendMessage"/> left it.</summary>
    public static int LastErrno => Marshal.GetLastSystemError();

    [LibraryImport(Libc, EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(SafeSocketHandle socket, int how);

    [LibraryImport(Libc, EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(SafeSocketHandle socket, byte* address, uint addressLength);

    [LibraryImport(Libc, EntryPoint = "getpeername", SetLastError = true)]
    public static partial int GetPeerName(SafeSocketHandle socket, byte* address, uint* addressLength);

    [LibraryImport(Libc, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSocketOption(SafeSocketHandle socket, int level, int name, int* value, uint* length);

    /// <summary>An errno as the exception the rest of the engine treats as an I/O failure.</summary>
    public static SocketException ToException(int errno) => new((int)(errno switch
    {
        104 => SocketError.ConnectionReset,
        32 => SocketError.Shutdown,           // EPIPE: our side or the peer's is shut
        110 => SocketError.TimedOut,
        111 => SocketError.ConnectionRefused,
        113 => SocketError.HostUnreachable,
        101 => SocketError.NetworkUnreachable,
        ENOTCONN => SocketError.NotConnected,
        _ => SocketError.SocketError,
    }));
}
