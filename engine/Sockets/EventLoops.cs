namespace Proxy.Engine.Sockets;

/// <summary>
/// The process's event loops, one per core the process may run on (as nginx's workers), started on first use.
/// A client connection is handed to them in turn; an upstream connection opened while serving a request stays on
/// that request's loop, so one request's two sockets are served by one thread.
/// </summary>
internal static class EventLoops
{
    private static readonly Lazy<EventLoop[]> s_loops = new(Start);
    private static int s_next;

    /// <summary>The next loop in turn, for a new client connection.</summary>
    public static EventLoop Next()
    {
        EventLoop[] loops = s_loops.Value;
        uint turn = (uint)Interlocked.Increment(ref s_next);
        return loops[turn % (uint)loops.Length];
    }

    /// <summary>The calling thread's loop when it is one, else the next in turn.</summary>
    public static EventLoop ForThisThread() => EventLoop.Current ?? Next();

    private static EventLoop[] Start()
    {
        var loops = new EventLoop[Environment.ProcessorCount];
        for (int i = 0; i < loops.Length; i++) loops[i] = new EventLoop($"epoll loop {i}");
        return loops;
    }
}
