using System.Net;
using System.Text;
using Proxy.Engine.Config;
using Proxy.Engine.Routing;
using Proxy.Engine.Timeouts;

namespace Proxy.Engine.Tests.Routing;

public sealed class SnapshotCompilerTests : IDisposable
{
    private readonly Heartbeat _heartbeat = new(TimeSpan.FromHours(1));

    [Fact]
    public void Match_PriorityThenHostSpecificityThenPrefixLengthThenFileOrder()
    {
        RoutingSnapshot snapshot = Compile(
            Route("any-host", prefix: "/"),
            Route("wildcard", hosts: ["*.example.com"]),
            Route("exact", hosts: ["www.example.com"]),
            Route("exact-long-prefix", hosts: ["www.example.com"], prefix: "/api/v2/"),
            Route("exact-short-prefix", hosts: ["www.example.com"], prefix: "/api/"),
            Route("low-but-first", prefix: "/static/", priority: -1),
            Route("high", prefix: "/admin/", priority: 10));

        Assert.Equal("exact-long-prefix", Match(snapshot, "www.example.com", "/api/v2/users"));
        Assert.Equal("exact-short-prefix", Match(snapshot, "www.example.com", "/api/v1/users"));
        Assert.Equal("exact", Match(snapshot, "www.example.com", "/other"));
        Assert.Equal("wildcard", Match(snapshot, "shop.example.com", "/other"));
        Assert.Equal("any-host", Match(snapshot, "elsewhere", "/other"));
        Assert.Equal("high", Match(snapshot, "www.example.com", "/admin/x"));
        Assert.Equal("exact", Match(snapshot, "www.example.com", "/static/x"));
        Assert.Equal("any-host", Match(snapshot, "nowhere", "/static/x"));   // priority 0 beats -1 even with a shorter prefix
    }

    [Fact]
    public void Match_EqualRoutes_FileOrderWins()
    {
        RoutingSnapshot snapshot = Compile(Route("first", prefix: "/a"), Route("second", prefix: "/a"));

        Assert.Equal("first", Match(snapshot, "h", "/a"));
    }

    [Fact]
    public void Match_NoRoute_ReturnsNull()
    {
        RoutingSnapshot snapshot = Compile(Route("only", hosts: ["a.example"]));

        Assert.Equal(RouteMatchStatus.NotFound, snapshot.Match("GET"u8, "b.example"u8, "/"u8).Status);
    }

    [Fact]
    public void Compile_UnchangedDestination_KeepsItsStateAndPool()
    {
        var compiler = new SnapshotCompiler(_heartbeat);
        RoutingSnapshot first = compiler.Compile(Config(Route("r")));
        Destination before = first.Clusters["c"].Destinations[0];
        before.State.OnRequestStart();

        RoutingSnapshot second = compiler.Compile(Config(Route("r"), Route("another")));
        Destination after = second.Clusters["c"].Destinations[0];

        Assert.Same(before.State, after.State);
        Assert.Same(before.Pool, after.Pool);
        Assert.Equal(1, after.State.ActiveRequests);
        Assert.True(second.Version > first.Version);
    }

    [Fact]
    public void Compile_ChangedPoolSettings_NewPoolSameCounters()
    {
        var compiler = new SnapshotCompiler(_heartbeat);
        ProxyConfig config = Config(Route("r"));
        Destination before = compiler.Compile(config).Clusters["c"].Destinations[0];

        ProxyConfig changed = config with { Clusters = [config.Clusters[0] with { Pool = new PoolConfig { MaxIdle = 3 } }] };
        Destination after = compiler.Compile(changed).Clusters["c"].Destinations[0];

        Assert.Same(before.State, after.State);
        Assert.NotSame(before.Pool, after.Pool);
    }

    [Fact]
    public void Compile_HostName_BecomesDnsEndPoint_IpLiteral_BecomesIpEndPoint()
    {
        ProxyConfig config = Config(Route("r")) with
        {
            Clusters = [new ClusterConfig
            {
                Name = "c",
                Destinations =
                [
                    new DestinationConfig { Address = "localhost:81", Host = "localhost", Port = 81 },
                    new DestinationConfig { Address = "[::1]:82", Host = "[::1]", Port = 82 },
                ],
            }],
        };

        Cluster cluster = new SnapshotCompiler(_heartbeat).Compile(config).Clusters["c"];

        Assert.IsType<DnsEndPoint>(cluster.Destinations[0].EndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 82), cluster.Destinations[1].EndPoint);
    }

    private RoutingSnapshot Compile(params RouteConfig[] routes) => new SnapshotCompiler(_heartbeat).Compile(Config(routes));

    private static ProxyConfig Config(params RouteConfig[] routes) => new()
    {
        Routes = routes,
        Clusters = [new ClusterConfig
        {
            Name = "c",
            Destinations = [new DestinationConfig { Address = "127.0.0.1:9", Host = "127.0.0.1", Port = 9 }],
        }],
    };

    private static RouteConfig Route(string name, string[]? hosts = null, string? prefix = null, int priority = 0) =>
        new() { Name = name, Cluster = "c", Hosts = hosts ?? [], PathPrefix = prefix, Priority = priority };

    private static string? Match(RoutingSnapshot snapshot, string host, string path) =>
        snapshot.Match("GET"u8, Encoding.ASCII.GetBytes(host), Encoding.ASCII.GetBytes(path)).Route?.Name;

    public void Dispose() => _heartbeat.Dispose();
}
