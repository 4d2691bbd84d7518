namespace Proxy.Engine.Timeouts;

/// <summary>Something with deadlines, checked by <see cref="Heartbeat"/> on every tick.</summary>
internal interface ITimeoutTarget
{
    /// <summary>
    /// Called on the heartbeat thread with the current <see cref="Environment.TickCount64"/>. Must be quick
    /// and must not block: it may only flag and cancel, never do the work the timeout leads to.
    /// </summary>
    void OnHeartbeat(long nowMs);
}
