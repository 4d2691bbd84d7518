using System.IO.Pipelines;

namespace Proxy.Engine.Timeouts;

/// <summary>
/// The one deadline a connection has at a time, set and cleared on the request path with plain writes and
/// checked by the <see cref="Heartbeat"/>. When it passes, the heartbeat marks it fired and cancels the pending
/// read of the pipe it names; the reader sees <see cref="ReadResult.IsCanceled"/> and asks <see cref="HasFired"/>
/// whether that was a timeout. A cancel that lands after the deadline was moved on is stale: the reader just
/// reads again.
/// </summary>
internal sealed class ConnectionDeadline
{
    private const long Disarmed = 0;
    private const long Fired = -1;

    private long _dueMs;
    private int _kind;                // DeadlineKind; an int so it can be read and written with fences
    private PipeReader? _reader;

    /// <summary>What the current (or last fired) deadline is for.</summary>
    public DeadlineKind Kind => (DeadlineKind)Volatile.Read(ref _kind);

    /// <summary>Sets the deadline <paramref name="timeoutMs"/> from now, cancelling <paramref name="reader"/> when it passes.</summary>
    public void Arm(DeadlineKind kind, long timeoutMs, PipeReader? reader)
    {
        _reader = reader;
        Volatile.Write(ref _kind, (int)kind);
        Volatile.Write(ref _dueMs, Environment.TickCount64 + Math.Max(1, timeoutMs));
    }

    public void Disarm() => Volatile.Write(ref _dueMs, Disarmed);

    /// <summary>True when the deadline of <paramref name="kind"/> passed and has not been re-armed since.</summary>
    public bool HasFired(DeadlineKind kind) => Volatile.Read(ref _dueMs) == Fired && Volatile.Read(ref _kind) == (int)kind;

    /// <summary>
    /// Heartbeat side: if the deadline passed, marks it fired (exactly once) and returns true with what it was
    /// for and which reader to cancel.
    /// </summary>
    public bool TryFire(long nowMs, out DeadlineKind kind, out PipeReader? reader)
    {
        long due = Volatile.Read(ref _dueMs);
        kind = (DeadlineKind)Volatile.Read(ref _kind);
        reader = _reader;
        if (due <= 0 || nowMs < due) return false;
        return Interlocked.CompareExchange(ref _dueMs, Fired, due) == due;
    }
}
