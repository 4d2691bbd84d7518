using Proxy.Balancers;
using Proxy.Health;

namespace Proxy.Engine.Routing;

/// <summary>
/// The destinations of a cluster that may take traffic now, as three parallel arrays: what the balancer picks
/// from, the engine's destinations and their health (breaker gate, outcome reports). Immutable; rebuilt and swapped
/// whenever a health verdict or a drain changes or a reload changes the destinations. Balancers cache tables per
/// array, so the arrays are never changed in place.
/// </summary>
internal sealed class AvailableDestinations
{
    public static AvailableDestinations None { get; } = new([], [], [], isPanic: false);

    public AvailableDestinations(Destination[] destinations, DestinationState[] states, DestinationHealth[] health, bool isPanic)
    {
        Destinations = destinations;
        States = states;
        Health = health;
        IsPanic = isPanic;
    }

    public Destination[] Destinations { get; }
    public DestinationState[] States { get; }
    public DestinationHealth[] Health { get; }

    /// <summary>
    /// No destination that is not drained was usable, so all of those are (panic mode): traffic over 503 for everyone.
    /// May be set while health itself is not panicking (when only drained destinations are usable).
    /// </summary>
    public bool IsPanic { get; }

    public int Count => Destinations.Length;
}
