namespace Proxy.Engine.Sockets;

/// <summary>
/// Who may run a socket side's next pass (a send pass reads the output pipe, a receive pass writes the input pipe; each
/// pipe end takes one thread at a time), and whether a pass is wanted. Anyone who makes work for the side (a flush, a
/// readiness, a close) calls <see cref="TakeOrRequest"/>: <see cref="TryTakeAtOnce"/>, failing that <see cref="Request"/>
/// and then <see cref="TryTake"/>. If another thread holds the role, that holder goes round once more after
/// <see cref="Release"/>: a holder calls <see cref="TryTake"/> after every release, and the request is lowered only
/// when a pass starts, so it is seen either by the pass under way or by that call. Every change is an interlocked
/// operation (a full fence), so a request made after a pass's last read is never missed.
/// A mutable struct: keep it in a field and call it there.
/// </summary>
internal struct PassRole
{
    private int _held;
    private int _requested;

    /// <summary>Asks for one more pass, by whoever holds the role now or takes it next.</summary>
    private void Request() => Interlocked.Exchange(ref _requested, 1);

    /// <summary>
    /// Takes the role if nobody holds it, without asking first: the usual case, one interlocked operation where
    /// <see cref="Request"/> and <see cref="TryTake"/> make three. A request made before it is then covered by this
    /// holder's pass or, at worst, costs one more pass after <see cref="Release"/>.
    /// </summary>
    private bool TryTakeAtOnce() => Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    /// <summary>
    /// Takes the role for a pass of one's own (true), or leaves a request for the thread that holds it (false): what
    /// anyone who makes work for the side calls.
    /// </summary>
    public bool TakeOrRequest()
    {
        if (TryTakeAtOnce()) return true;
        Request();          // left for the holder, unless it has just given the role back:
        return TryTake();   // then it is ours after all
    }

    /// <summary>Takes the role if a pass is wanted and nobody holds it, and lowers the request; false otherwise.</summary>
    public bool TryTake()
    {
        if (Volatile.Read(ref _requested) == 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0) return false;
        Interlocked.Exchange(ref _requested, 0);
        return true;
    }

    /// <summary>Holds the role without a request: no pass runs until <see cref="Release"/> (a socket still connecting).</summary>
    public void Hold() => Interlocked.Exchange(ref _held, 1);

    /// <summary>Gives the role back; the caller then calls <see cref="TryTake"/> again for requests made meanwhile.</summary>
    public void Release() => Interlocked.Exchange(ref _held, 0);
}
