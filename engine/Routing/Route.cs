using System.Text;
using Proxy.Engine.Config;
using Proxy.Engine.Config.Values;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Routing;

/// <summary>
/// The compiled, immutable form of a <see cref="RouteConfig"/> inside a <see cref="RoutingSnapshot"/>: what it
/// matches, in the forms the matcher reads, and what is done with what it takes (<see cref="Actions"/>).
/// </summary>
internal sealed class Route
{
    private readonly FieldCondition[] _headers;
    private readonly FieldCondition[] _query;
    private readonly Cluster? _cluster;

    public Route(RouteConfig config, int fileOrder, Cluster? cluster, RouteActions actions, ulong methodMask)
    {
        Name = config.Name;
        Config = config;
        FileOrder = fileOrder;
        _cluster = cluster;
        Actions = actions;
        MethodMask = methodMask;
        Hosts = config.Hosts.Count == 0 ? [] : [.. config.Hosts.Select(host => new HostPattern(host))];
        _headers = config.Headers.Count == 0 ? [] : [.. config.Headers.Select(header => new FieldCondition(header))];
        _query = config.Query.Count == 0 ? [] : [.. config.Query.Select(parameter => new FieldCondition(parameter))];

        if (config.Path is not null)
        {
            PathKind = PathMatchKind.Exact;
            PathBytes = Encoding.ASCII.GetBytes(config.Path);
        }
        else if (config.PathPrefix is not null)
        {
            PathKind = PathMatchKind.Prefix;
            // "/api/" by whole segments is "/api": both take "/api" and "/api/x". A prefix that ends in '/' already
            // ends on a boundary, and "/" takes every path either way.
            string prefix = config.PathPrefix;
            PathPrefixSegments = config.PathPrefixSegments && prefix != "/";
            if (PathPrefixSegments) prefix = prefix.TrimEnd('/');
            PathBytes = Encoding.ASCII.GetBytes(prefix);
        }
        else if (config.PathRegex is not null)
        {
            PathKind = PathMatchKind.Regex;
            PathRegex = RouteValues.CreateRegex(config.PathRegex);
            RegexLiteralPrefix = RegexPrefix.LiteralPrefix(config.PathRegex);
        }
    }

    public string Name { get; }
    public RouteConfig Config { get; }
    public int FileOrder { get; }
    public int Priority => Config.Priority;

    /// <summary>This route's request metrics; attached when the snapshot is published.</summary>
    public Metrics.RouteMetrics? Metrics { get; set; }

    /// <summary>
    /// The one cluster the route forwards every request to. Only a route whose <see cref="ClusterOrNull"/> is set has
    /// one; on a route that splits (<see cref="RouteActions.Split"/>), redirects or responds itself, reading it throws.
    /// </summary>
    public Cluster Cluster => _cluster ?? throw new InvalidOperationException($"Route `{Name}` does not forward to one cluster; read {nameof(ClusterOrNull)} and {nameof(Actions)}.");

    /// <summary>The cluster the route forwards to; null when it splits (<see cref="RouteActions.Split"/>), redirects or responds.</summary>
    public Cluster? ClusterOrNull => _cluster;

    /// <summary>What is done with a request the route takes.</summary>
    public RouteActions Actions { get; }

    /// <summary>Exact names and wildcards; empty = any host.</summary>
    public HostPattern[] Hosts { get; }

    public PathMatchKind PathKind { get; }

    /// <summary>The exact path or the prefix (for a whole-segment prefix, without its trailing '/'); empty otherwise.</summary>
    public byte[] PathBytes { get; } = [];

    /// <summary>The prefix matches whole segments only.</summary>
    public bool PathPrefixSegments { get; }

    public ByteRegex? PathRegex { get; }

    /// <summary>
    /// Bytes every path the regex matches starts with ("/re" for "^/re[0-9]"); often empty. The route sits in the path
    /// tree under them, so its regex runs only for paths that start with them.
    /// </summary>
    public byte[] RegexLiteralPrefix { get; } = [];

    /// <summary>The methods taken, as bits of the snapshot's <see cref="MethodTable"/>.</summary>
    public ulong MethodMask { get; }

    /// <summary>The route has header or query conditions: without any, <see cref="ConditionsHold"/> is always true.</summary>
    public bool HasConditions => _headers.Length + _query.Length > 0;

    /// <summary>Whether the header and query conditions hold (host, path and method are the matcher's business).</summary>
    public bool ConditionsHold(ReadOnlySpan<byte> query, MessageHead? headers)
    {
        foreach (FieldCondition condition in _headers)
        {
            if (!condition.HoldsForHeaders(headers)) return false;
        }
        foreach (FieldCondition condition in _query)
        {
            if (!condition.HoldsForQuery(query)) return false;
        }
        return true;
    }

    public override string ToString() => Name;
}
