using System.Buffers;
using System.Text;
using Proxy.Balancers;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;
using Proxy.Protocols.Http1;

namespace Proxy.Engine.Tests.Routing;

/// <summary>Compiles routes into a snapshot without pools or sockets, and builds parsed request heads.</summary>
internal static class TestRoutes
{
    public static readonly string[] ClusterNames = ["c", "d", "e"];

    /// <summary>A cluster with no destinations and a runtime that reports health events nowhere.</summary>
    private static Cluster NewCluster(ClusterConfig config) => new(config, [], new ClusterRuntime(config, Proxy.Health.NullHealthEvents.Instance));

    public static Dictionary<string, Cluster> Clusters() =>
        ClusterNames.ToDictionary(name => name, name => NewCluster(new ClusterConfig { Name = name }), StringComparer.Ordinal);

    public static RoutingSnapshot Compile(params RouteConfig[] routes)
    {
        Dictionary<string, Cluster> clusters = Clusters();
        (Route[] compiled, RouteMatcher matcher) = RouteCompiler.Compile(routes, clusters);
        return new RoutingSnapshot(new ProxyConfig { Routes = routes }, compiled, matcher, clusters, 1);
    }

    public static RouteConfig Route(string name, string[]? hosts = null, string? path = null, string? prefix = null, string? regex = null,
                                    bool segments = false, string[]? methods = null, int priority = 0) =>
        new()
        {
            Name = name,
            Cluster = "c",
            Hosts = hosts ?? [],
            Path = path,
            PathPrefix = prefix,
            PathPrefixSegments = segments,
            PathRegex = regex,
            Methods = methods ?? [],
            Priority = priority,
        };

    /// <summary>Parses "GET /x HTTP/1.1" (1.0 without a host) plus the given header lines (Host first when given).</summary>
    public static RequestHead Request(string method, string host, string target, params string[] headers)
    {
        // HTTP/1.1 requires Host (RFC 9112 §3.2); a request without one is an HTTP/1.0 request.
        var text = new StringBuilder($"{method} {target} HTTP/1.{(host.Length > 0 ? 1 : 0)}\r\n");
        if (host.Length > 0) text.Append("Host: ").Append(host).Append("\r\n");
        foreach (string header in headers) text.Append(header).Append("\r\n");
        text.Append("\r\n");
        var head = new RequestHead(HeadLimits.Default);
        Assert.True(RequestHeadParser.TryParse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text.ToString())), head, out _));
        return head;
    }

    /// <summary>The route name, or the status when none was found.</summary>
    public static string Outcome(RouteMatch match) => match.Found ? match.Route.Name : match.Status.ToString();
}
