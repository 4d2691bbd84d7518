namespace Proxy.Engine.Sockets;

/// <summary>
/// The process's event loops, one per core the process may run on (as nginx's workers), started on first use.
/// A client connection is handed to them in turn; an upstream connection opened while serving a request stays on
/// that request's loop, so one request's two sockets are served by one thread.
/// </summary>
internal static class EventLoops
{
    private static readonly Lock s_startLock = new();
    private static EventLoop[]? s_loops;
    private static int s_next;

    /// <summary>The next loop in turn, for a new client connection.</summary>
    public static EventLoop Next()
    {
        EventLoop[] loops = Volatile.Read(ref s_loops) ?? Start();
        uint turn = (uint)Interlocked.Increment(ref s_next);
        return loops[turn % (uint)loops.Length];
    }

    /// <summary>The calling thread's loop when it is one, else the next in turn.</summary>
    public static EventLoop ForThisThread() => EventLoop.Current ?? Next();

    /// <summary>
    /// Starts the loops once. A failure (out of file descriptors) is thrown to this caller and tried again by the next,
    /// not remembered; loops started before it stay, to be used by the next attempt.
    /// </summary>
    private static EventLoop[] Start()
    {
        lock (s_startLock)
        {
            if (s_loops is not null) return s_loops;
            s_starting ??= new List<EventLoop>();
            while (s_starting.Count < Environment.ProcessorCount) s_starting.Add(new EventLoop($"epoll loop {s_starting.Count}"));
            Volatile.Write(ref s_loops, s_starting.ToArray());
            return s_loops;
        }
    }

    private static List<EventLoop>? s_starting;
}
