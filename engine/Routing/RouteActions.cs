namespace Proxy.Engine.Routing;

/// <summary>
/// What is done with a request a route takes, compiled once per snapshot into immutable objects whose request-path
/// methods allocate nothing. At most one of <see cref="Redirect"/> and <see cref="DirectResponse"/> is set, and
/// then nothing is forwarded; otherwise the route forwards to <see cref="Route.ClusterOrNull"/> or, when that is null,
/// to the cluster <see cref="Split"/> chooses.
/// </summary>
internal sealed class RouteActions
{
    public static RouteActions None { get; } = new();

    /// <summary><c>strip_prefix</c> / <c>add_prefix</c>; null: the path goes upstream as received.</summary>
    public PathRewrite? PathRewrite { get; init; }

    /// <summary><c>upstream_host</c> as bytes; empty: the client's Host goes upstream.</summary>
    public ReadOnlyMemory<byte> UpstreamHost { get; init; }

    /// <summary><c>set_headers</c> / <c>remove_headers</c>, applied to the request before forwarding.</summary>
    public HeaderEdits RequestHeaders { get; init; } = HeaderEdits.None;

    /// <summary><c>response_set_headers</c> / <c>response_remove_headers</c>, applied to the upstream's response.</summary>
    public HeaderEdits ResponseHeaders { get; init; } = HeaderEdits.None;

    /// <summary><c>redirect</c>: answer with a Location instead of forwarding.</summary>
    public Redirect? Redirect { get; init; }

    /// <summary><c>respond</c>: answer with fixed bytes instead of forwarding.</summary>
    public DirectResponse? DirectResponse { get; init; }

    /// <summary><c>split</c>: the cluster is chosen per request among several.</summary>
    public TrafficSplit? Split { get; init; }

    /// <summary><c>mirror</c>: a share of requests is copied to another cluster.</summary>
    public Mirror? Mirror { get; init; }
}
