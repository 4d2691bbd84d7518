using System.Buffers;
using System.Text;
using Proxy.Balancers;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;
using Proxy.Protocols.Http1;

namespace Proxy.Benchmarks.Routing;

/// <summary>
/// Route sets shaped like a large multi-tenant configuration: 40% exact hosts with versioned prefixes (some
/// limited to methods), 20% wildcard hosts, 30% any-host whole-segment prefixes, 10% exact paths, and up to five
/// regex routes on any host (two in the table of 10). Deterministic, so every run measures the same tables.
/// </summary>
internal static class RouteTables
{
    public const int MaxRegexes = 5;

    public static RouteConfig[] Routes(int count)
    {
        int regexes = Math.Min(MaxRegexes, count / 5);
        var routes = new List<RouteConfig>(count);
        for (int i = 0; routes.Count < count - regexes; i++)
        {
            var route = new RouteConfig { Name = $"r{i}", Cluster = "c" };
            routes.Add((i % 10) switch
            {
                0 => route with { Path = $"/exact/{i}" },
                < 5 => route with
                {
                    Hosts = [$"svc{i}.example.com"],
                    PathPrefix = $"/api/v{i % 3}/",
                    Methods = i % 4 == 1 ? ["GET", "POST"] : [],
                },
                < 7 => route with { Hosts = [$"*.tenant{i}.example.net"], PathPrefix = $"/t{i}/" },
                _ => route with { PathPrefix = $"/p{i}/items", PathPrefixSegments = true },
            });
        }
        for (int i = 0; i < regexes; i++)
        {
            routes.Add(new RouteConfig { Name = $"re{i}", Cluster = "c", PathRegex = $"^/re{i}/[0-9]+/(edit|view)$" });
        }
        return [.. routes];
    }

    /// <summary>A cluster with no destinations and a runtime that reports health events nowhere.</summary>
    private static Cluster NewCluster(ClusterConfig config) => new(config, [], new ClusterRuntime(config, Proxy.Health.NullHealthEvents.Instance));

    public static Dictionary<string, Cluster> Clusters() =>
        new(StringComparer.Ordinal) { ["c"] = NewCluster(new ClusterConfig { Name = "c" }) };

    public static RoutingSnapshot Snapshot(RouteConfig[] routes)
    {
        Dictionary<string, Cluster> clusters = Clusters();
        (Route[] compiled, RouteMatcher matcher) = RouteCompiler.Compile(routes, clusters);
        return new RoutingSnapshot(new ProxyConfig { Routes = routes }, compiled, matcher, clusters, 1);
    }

    /// <summary>A parsed browser-like request head, as the forwarder hands it to the matcher.</summary>
    public static RequestHead Request(string method, string host, string target)
    {
        string text = $"{method} {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: bench/1.0\r\nAccept: */*\r\nAccept-Encoding: gzip\r\n\r\n";
        var head = new RequestHead(HeadLimits.Default);
        if (!RequestHeadParser.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), head, out _)) throw new InvalidOperationException(text);
        return head;
    }
}
