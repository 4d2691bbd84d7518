using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Proxy.Engine.Sockets;

/// <summary>
/// One thread waiting in epoll_wait for the sockets registered with it, and running what each readiness wakes,
/// inline: a connection's receive, the request it completes, the upstream send that follows. Sockets are
/// registered once, edge-triggered, for reading and writing; <see cref="EpollSocket"/> tracks readiness from there.
/// </summary>
/// <remarks>
/// An event names its socket by a registration id (slot and generation), not a pointer: an event already taken from
/// the kernel can arrive after its socket closed and its slot was reused, and is then dropped.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "Event loops live as long as the process.")]
internal sealed unsafe class EventLoop
{
    private const int MaxEventsPerWait = 256;

    [ThreadStatic]
    private static EventLoop? t_current;

    private readonly int _epoll;
    private readonly Lock _registrationLock = new();
    private readonly Stack<int> _freeSlots = new();
    private EpollSocket?[] _sockets = new EpollSocket?[64];
    private int _usedSlots;
    private uint _generation;

    public EventLoop(string name)
    {
        _epoll = Native.EpollCreate(Native.EPOLL_CLOEXEC);
        if (_epoll < 0) throw Native.ToException(Marshal.GetLastPInvokeError());
        var thread = new Thread(Run) { IsBackground = true, Name = name };
        thread.UnsafeStart();
    }

    /// <summary>The loop whose thread this is, or null on any other thread.</summary>
    public static EventLoop? Current => t_current;

    /// <summary>Registers <paramref name="socket"/> for edge-triggered readiness; its events start at once.</summary>
    public void Register(EpollSocket socket)
    {
        ulong id;
        lock (_registrationLock)
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _usedSlots++;
            if (slot == _sockets.Length)
            {
                EpollSocket?[] grown = new EpollSocket?[_sockets.Length * 2];
                _sockets.CopyTo(grown, 0);
                Volatile.Write(ref _sockets, grown);
            }
            id = ((ulong)++_generation << 32) | (uint)slot;
            socket.RegistrationId = id;
            Volatile.Write(ref _sockets[slot], socket);
        }
        byte* epollEvent = stackalloc byte[16];
        *(uint*)epollEvent = Native.EPOLLIN | Native.EPOLLOUT | Native.EPOLLRDHUP | Native.EPOLLET;
        *(ulong*)(epollEvent + Native.EpollDataOffset) = id;
        if (Native.EpollControl(_epoll, Native.EPOLL_CTL_ADD, socket.Handle, epollEvent) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Unregister(socket);
            throw Native.ToException(errno);
        }
    }

    /// <summary>Stops delivering <paramref name="socket"/>'s events; closing it removes it from epoll itself.</summary>
    public void Unregister(EpollSocket socket)
    {
        int slot = (int)(uint)socket.RegistrationId;
        lock (_registrationLock)
        {
            if (!ReferenceEquals(_sockets[slot], socket)) return;
            Volatile.Write(ref _sockets[slot], null);
            _freeSlots.Push(slot);
        }
    }

    /// <summary>
    /// The socket <paramref name="id"/> names, or null when it has been unregistered. <paramref name="sockets"/> is the
    /// table as last read; a registration made since may be in a grown copy only, so a miss reads the table again
    /// (dropping a new socket's edge would leave it waiting for good).
    /// </summary>
    private EpollSocket? Find(ref EpollSocket?[] sockets, ulong id)
    {
        int slot = (int)(uint)id;
        EpollSocket? socket = slot < sockets.Length ? Volatile.Read(ref sockets[slot]) : null;
        if (socket is not null && socket.RegistrationId == id) return socket;
        sockets = Volatile.Read(ref _sockets);
        socket = slot < sockets.Length ? Volatile.Read(ref sockets[slot]) : null;
        return socket is not null && socket.RegistrationId == id ? socket : null;
    }

    private void Run()
    {
        t_current = this;
        int stride = Native.EpollEventSize, dataOffset = Native.EpollDataOffset;
        byte* events = (byte*)NativeMemory.Alloc((nuint)(MaxEventsPerWait * stride));
        while (true)
        {
            int count = Native.EpollWait(_epoll, events, MaxEventsPerWait, -1);
            if (count < 0)
            {
                if (Marshal.GetLastPInvokeError() == Native.EINTR) continue;
                Environment.FailFast("epoll_wait failed: errno " + Marshal.GetLastPInvokeError());
            }
            EpollSocket?[] sockets = Volatile.Read(ref _sockets);
            for (int i = 0; i < count; i++)
            {
                byte* epollEvent = events + (i * stride);
                uint flags = *(uint*)epollEvent;
                ulong id = *(ulong*)(epollEvent + dataOffset);
                EpollSocket? socket = Find(ref sockets, id);
                if (socket is null) continue;    // closed since: a stale event
                try
                {
                    socket.OnReadiness(flags);
                }
                catch (Exception ex)
                {
                    // Readiness runs receive passes, which end their socket's input on a failure, and wakes async code,
                    // whose failures end up in its own task; anything that still escapes must not take every other
                    // connection of this loop with it.
                    Console.Error.WriteLine($"event loop {Thread.CurrentThread.Name}: {ex}");
                }
            }
        }
    }
}
