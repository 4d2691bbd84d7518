using System.Threading.Tasks.Sources;

namespace Proxy.Engine.Async;

/// <summary>
/// An auto-reset signal with one waiter that costs nothing per wait: what SemaphoreSlim(0) gave the HTTP/2 flush loop,
/// without its task per wait (a TaskNode, ~100 B, on every flush). <see cref="Set"/> any number of times before a wait
/// wakes one wait. One waiter at a time; <see cref="Set"/> from any thread.
/// </summary>
/// <param name="wakeInline">
/// False: the waiter's continuation runs on the thread pool, never inline in <see cref="Set"/> (the HTTP/2 flush loop's
/// callers hold a lock). True: it runs inline in <see cref="Set"/>, as a socket's readiness does on its event loop.
/// </param>
internal sealed class AutoResetSignal(bool wakeInline = false) : IValueTaskSource, IThreadPoolWorkItem
{
    private const int Idle = 0, Signaled = 1, Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core;    // continuations inline: Execute already runs on the pool
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

    /// <summary>Wakes the waiter (inline or on the thread pool), or leaves the signal set for the next wait.</summary>
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
                if (wakeInline) _core.SetResult(true);
                else ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    void IThreadPoolWorkItem.Execute() => _core.SetResult(true);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
