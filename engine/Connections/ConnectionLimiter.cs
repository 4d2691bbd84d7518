namespace Proxy.Engine.Connections;

/// <summary>
/// Caps how many connections are in use: client connections per process (<c>limits.max_connections</c>) and
/// upstream connections per destination (<c>pool.max_connections</c>). Entering and leaving under the cap is
/// one interlocked operation; only an entry that finds the cap reached queues (and allocates) to wait for a
/// place to be handed back.
/// </summary>
internal sealed class ConnectionLimiter
{
    private int _max;
    private readonly Lock _waitersLock = new();
    private readonly Queue<Waiter> _waiters = new();
    private int _inUse;
    private int _waiterCount;

    public ConnectionLimiter(int max) => _max = max;

    public int InUse => Volatile.Read(ref _inUse);

    /// <summary>Changes the cap (a reload); a raised cap lets waiting entries in at once.</summary>
    public void Resize(int max)
    {
        Volatile.Write(ref _max, max);
        GrantWaiters();
    }

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inUse) <= Volatile.Read(ref _max)) return true;
        Interlocked.Decrement(ref _inUse);
        return false;
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (which may be <see cref="Timeout.InfiniteTimeSpan"/>) for a place; false
    /// when none came in time or <paramref name="cancel"/> was signalled first. Waiters get places in arrival order.
    /// </summary>
    public async ValueTask<bool> EnterAsync(TimeSpan timeout, CancellationToken cancel = default)
    {
        if (TryEnter()) return true;
        var waiter = new Waiter();
        lock (_waitersLock)
        {
            // Re-check under the lock: a Leave between our TryEnter and here saw no waiter to hand its place to.
            if (TryEnter()) return true;
            _waiters.Enqueue(waiter);
            _waiterCount++;
        }
        // An abandoned waiter stays queued until a Leave reaches it and, finding it declined, passes the place on.
        using var timer = new Timer(static w => ((Waiter)w!).TryAbandon(), waiter, timeout, Timeout.InfiniteTimeSpan);
        using CancellationTokenRegistration cancelled = cancel.Register(static w => ((Waiter)w!).TryAbandon(), waiter);
        return await waiter.Task.ConfigureAwait(false);
    }

    public void Leave()
    {
        Interlocked.Decrement(ref _inUse);
        if (Volatile.Read(ref _waiterCount) == 0) return;
        GrantWaiters();
    }

    /// <summary>Hands free places to waiters in arrival order.</summary>
    private void GrantWaiters()
    {
        lock (_waitersLock)
        {
            while (_waiters.Count > 0 && TryEnter())
            {
                Waiter next = _waiters.Dequeue();
                _waiterCount--;
                // A waiter that already timed out declines the place; give it back and try the next one.
                if (!next.TryGrant()) Interlocked.Decrement(ref _inUse);
            }
        }
    }

    private sealed class Waiter : TaskCompletionSource<bool>
    {
        public Waiter() : base(TaskCreationOptions.RunContinuationsAsynchronously) { }
        public bool TryGrant() => TrySetResult(true);
        public void TryAbandon() => TrySetResult(false);
    }
}
