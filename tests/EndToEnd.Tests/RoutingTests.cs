using Proxy.Engine.Config;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>Hosts and path prefixes choose the cluster; round robin spreads over its destinations.</summary>
public sealed class RoutingTests
{
    [Fact]
    public async Task HostsAndPathPrefix_SelectTheirCluster()
    {
        await using var api = new TestOrigin(_ => OriginResponse.Text("api"));
        await using var web = new TestOrigin(_ => OriginResponse.Text("web"));
        await using var wildcard = new TestOrigin(_ => OriginResponse.Text("wildcard"));
        var config = TestConfigs.OneCluster(web) with
        {
            Routes =
            [
                new RouteConfig { Name = "web", Cluster = "web" },
                new RouteConfig { Name = "api", Cluster = "api", Hosts = ["api.example.com"], PathPrefix = "/v1/" },
                new RouteConfig { Name = "wild", Cluster = "wildcard", Hosts = ["*.example.org"] },
            ],
            Clusters =
            [
                TestConfigs.Cluster("web", web.Address),
                TestConfigs.Cluster("api", api.Address),
                TestConfigs.Cluster("wildcard", wildcard.Address),
            ],
        };
        await using var proxy = InProcessProxy.Start(config);

        Assert.Equal("api", await GetAsync(proxy, "API.example.com:8080", "/v1/users"));
        Assert.Equal("web", await GetAsync(proxy, "api.example.com", "/v2/users"));
        Assert.Equal("wildcard", await GetAsync(proxy, "www.example.org", "/"));
        Assert.Equal("web", await GetAsync(proxy, "example.org", "/"));
        Assert.Equal("web", await GetAsync(proxy, "elsewhere", "/v1/users"));
    }

    [Fact]
    public async Task RoundRobin_AlternatesBetweenDestinations()
    {
        await using var a = new TestOrigin(_ => OriginResponse.Text("a"));
        await using var b = new TestOrigin(_ => OriginResponse.Text("b"));
        await using var proxy = InProcessProxy.Start(a, b);
        using HttpClient client = proxy.CreateClient();

        var answers = new List<string>();
        for (int i = 0; i < 10; i++) answers.Add(await client.GetStringAsync("/"));

        Assert.Equal(5, answers.Count(x => x == "a"));
        for (int i = 1; i < answers.Count; i++) Assert.NotEqual(answers[i - 1], answers[i]);
    }

    private static async Task<string> GetAsync(InProcessProxy proxy, string host, string path)
    {
        using var raw = new RawHttp(proxy.EndPoint);
        await raw.SendAsync($"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
        return (await raw.ReadResponseAsync()).BodyText;
    }
}
