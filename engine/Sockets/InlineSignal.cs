using System.Threading.Tasks.Sources;

namespace Proxy.Engine.Sockets;

/// <summary>
/// "The socket may be ready": an auto-reset signal with one waiter whose continuation runs inline in
/// <see cref="Set"/>, on the event loop's thread, as socket completions do with inline completions (PLATFORM.md). Set
/// any number of times before a wait wakes one wait, so an edge that comes while nobody waits is not lost.
/// </summary>
internal sealed class InlineSignal : IValueTaskSource
{
    private const int Idle = 0, Signaled = 1, Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core;   // RunContinuationsAsynchronously = false: inline
    private int _state;

    /// <summary>Completes at once when signalled since the last wait, else at the next <see cref="Set"/>.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Signaled) == Signaled) return default;
        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Signaled)
        {
            Volatile.Write(ref _state, Idle);    // signalled in between: taken
            return default;
        }
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Runs the waiter's continuation here and now, or leaves the signal set for the next wait.</summary>
    public void Set()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Signaled) return;
            if (state == Idle)
            {
                if (Interlocked.CompareExchange(ref _state, Signaled, Idle) == Idle) return;
                continue;
            }
            if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
            {
                _core.SetResult(true);
                return;
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
