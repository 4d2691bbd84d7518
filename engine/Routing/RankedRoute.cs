namespace Proxy.Engine.Routing;

/// <summary>
/// What a route search reads of the route at one rank, copied out of the <see cref="Route"/> into one array indexed
/// by rank: the inner loop then reads one small struct per candidate, next to its neighbours, and calls nothing for
/// the many routes without header or query conditions.
/// </summary>
internal readonly struct RankedRoute
{
    public RankedRoute(Route route)
    {
        Route = route;
        MethodMask = route.MethodMask;
        PathPrefixSegments = route.PathPrefixSegments;
        HasConditions = route.HasConditions;
    }

    public Route Route { get; }

    /// <inheritdoc cref="Route.MethodMask"/>
    public ulong MethodMask { get; }

    /// <inheritdoc cref="Route.PathPrefixSegments"/>
    public bool PathPrefixSegments { get; }

    /// <inheritdoc cref="Route.HasConditions"/>
    public bool HasConditions { get; }
}
