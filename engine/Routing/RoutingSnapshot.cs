using Proxy.Engine.Config;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Routing;

/// <summary>
/// Everything a request needs to find where it goes, compiled from one configuration and never changed after:
/// requests read the current snapshot once and use it to the end, while a reload publishes a new one.
/// </summary>
internal sealed class RoutingSnapshot
{
    private readonly Route[] _routes;    // in file order
    private readonly RouteMatcher _matcher;

    public RoutingSnapshot(ProxyConfig config, Route[] routes, RouteMatcher matcher, IReadOnlyDictionary<string, Cluster> clusters, long version)
    {
        Config = config;
        _routes = routes;
        _matcher = matcher;
        Clusters = clusters;
        Version = version;
    }

    /// <summary>A snapshot with no routes: every request gets 404.</summary>
    public static RoutingSnapshot Empty { get; } = new(new ProxyConfig(), [], new RouteMatcher([], new MethodTable([])), new Dictionary<string, Cluster>(), 0);

    public ProxyConfig Config { get; }
    public IReadOnlyDictionary<string, Cluster> Clusters { get; }

    /// <summary>The routes in file order.</summary>
    public ReadOnlySpan<Route> Routes => _routes;

    /// <summary>Increases with every published snapshot.</summary>
    public long Version { get; }

    /// <summary>
    /// The route for <paramref name="request"/>: the first, in match order (see <see cref="MatchOrder"/>), whose host,
    /// normalised path (see <see cref="PathNormalizer"/>), method, headers and query all match. Otherwise 404, 405
    /// with the Allow value when routes would take another method, or 400 for a path that escapes the root.
    /// Reads the head's bytes in place and allocates nothing. Thread-safe.
    /// </summary>
    public RouteMatch Match(RequestHead request) =>
        _matcher.Match(_matcher.Methods.BitOf(request), request.Host, request.Path, request.Query, request);

    /// <summary>
    /// The route for a request known only by its authority and path, as the forwarder asks until it reads route actions
    /// and the method: what <see cref="Match(RequestHead)"/> finds for a request with a method no route names, no header
    /// fields and no query, if that route forwards to one cluster (<see cref="Route.ClusterOrNull"/>); otherwise null
    /// (404). So a route with <c>methods</c>, a header or query condition that needs something present, a split, a
    /// redirect or a direct response never takes a request here. Allocates nothing. Thread-safe.
    /// </summary>
    public Route? Match(ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path)
    {
        RouteMatch match = _matcher.Match(MethodTable.UnnamedMethod, authority, path, default, null);
        return match.Found && match.Route.ClusterOrNull is not null ? match.Route : null;
    }

    /// <summary>As <see cref="Match(RequestHead)"/>, from the parts of a request (tests and benchmarks).</summary>
    public RouteMatch Match(ReadOnlySpan<byte> method, ReadOnlySpan<byte> authority, ReadOnlySpan<byte> path, ReadOnlySpan<byte> query = default, MessageHead? headers = null) =>
        _matcher.Match(_matcher.Methods.BitOf(method, KnownMethod.Other), authority, path, query, headers);
}
