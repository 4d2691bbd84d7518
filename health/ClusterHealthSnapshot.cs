using System.Collections.Immutable;

namespace Proxy.Health;

/// <summary>
/// One published state of a <see cref="ClusterHealth"/>: every destination in the order last given to
/// <see cref="ClusterHealth.SetDestinations"/>, and the ones that may take traffic now. Immutable; read it once and use
/// it whole, as with a routing snapshot.
/// </summary>
public sealed class ClusterHealthSnapshot
{
    private readonly bool[] _usableMask;

    internal ClusterHealthSnapshot(long version, ImmutableArray<DestinationHealth> destinations, ImmutableArray<DestinationHealth> usable, bool[] usableMask, bool isPanic)
    {
        Version = version;
        Destinations = destinations;
        Usable = usable;
        _usableMask = usableMask;
        IsPanic = isPanic;
    }

    /// <summary>The state of a cluster with no destination.</summary>
    public static ClusterHealthSnapshot Empty { get; } = new(0, [], [], [], isPanic: false);

    /// <summary>Increases by one with every published snapshot of the same cluster.</summary>
    public long Version { get; }

    /// <summary>Every destination, in the order of the keys last given to <see cref="ClusterHealth.SetDestinations"/>.</summary>
    public ImmutableArray<DestinationHealth> Destinations { get; }

    /// <summary>
    /// The destinations that may take traffic, in the same relative order: those whose
    /// <see cref="DestinationHealth.MayTakeTraffic"/> was true, or all of them in panic mode.
    /// </summary>
    public ImmutableArray<DestinationHealth> Usable { get; }

    /// <summary>
    /// Whether panic mode is on: no destination could take traffic, so <see cref="Usable"/> holds all of them rather
    /// than none (only when <see cref="ClusterHealthOptions.PanicMode"/> is on and there is a destination at all).
    /// </summary>
    public bool IsPanic { get; }

    /// <summary>Whether <see cref="Destinations"/>[<paramref name="index"/>] is in <see cref="Usable"/>; O(1), for building a parallel array.</summary>
    public bool IsUsable(int index) => _usableMask[index];
}
