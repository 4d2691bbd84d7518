namespace Proxy.Engine.Routing;

/// <summary>
/// Holds the current <see cref="RoutingSnapshot"/>. A request reads <see cref="Current"/> once; a reload
/// publishes a fully built snapshot by swapping one reference. No locks on either side.
/// </summary>
internal sealed class RoutingTable
{
    private RoutingSnapshot _current = RoutingSnapshot.Empty;

    public RoutingSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Called by the load and reload path only, after the snapshot is fully built.</summary>
    public void Publish(RoutingSnapshot next) => Volatile.Write(ref _current, next);
}
