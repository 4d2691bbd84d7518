namespace Proxy.Engine.Timeouts;

/// <summary>
/// One timer for every deadline in the process (as Kestrel does): each tick walks the registered targets and
/// lets each check its own deadline. Per-request timers would cost an allocation or a timer-queue lock per
/// request; a walk costs a few nanoseconds per connection per tick.
/// Registration happens per connection, never per request.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    /// <summary>Deadline resolution: a timeout fires between its deadline and one tick later.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _registrationLock = new();
    private readonly Timer _timer;
    private ITimeoutTarget?[] _targets = new ITimeoutTarget?[256];
    private int _count;              // slots in use or freed, all below it; the walk stops here
    private readonly Stack<int> _freeSlots = new();
    private int _walking;

    public Heartbeat(TimeSpan interval)
    {
        _timer = new Timer(static state => ((Heartbeat)state!).Tick(), this, interval, interval);
    }

    /// <summary>Starts checking <paramref name="target"/>; returns the slot to give back to <see cref="Unregister"/>.</summary>
    public int Register(ITimeoutTarget target)
    {
        lock (_registrationLock)
        {
            int slot;
            if (_freeSlots.Count > 0)
            {
                slot = _freeSlots.Pop();
            }
            else
            {
                if (_count == _targets.Length) Array.Resize(ref _targets, _targets.Length * 2);
                slot = _count++;
            }
            Volatile.Write(ref _targets[slot], target);
            return slot;
        }
    }

    /// <summary>Stops checking the target in <paramref name="slot"/>.</summary>
    public void Unregister(int slot)
    {
        lock (_registrationLock)
        {
            Volatile.Write(ref _targets[slot], null);
            _freeSlots.Push(slot);
        }
    }

    private void Tick()
    {
        // A slow tick must not overlap the next one.
        if (Interlocked.Exchange(ref _walking, 1) == 1) return;
        try
        {
            long now = Environment.TickCount64;
            ITimeoutTarget?[] targets = Volatile.Read(ref _targets);   // a resize publishes a new array; both hold every live target
            int count = Math.Min(Volatile.Read(ref _count), targets.Length);
            for (int i = 0; i < count; i++)
            {
                Volatile.Read(ref targets[i])?.OnHeartbeat(now);
            }
        }
        finally
        {
            Volatile.Write(ref _walking, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
