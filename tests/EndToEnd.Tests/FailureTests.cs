using System.Diagnostics;
using System.Net;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>Upstreams that are down, silent, or broken: the client gets the right status, never a hang.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task UpstreamDown_Answers502()
    {
        await using var proxy = InProcessProxy.Start(TestConfigs.OneCluster($"127.0.0.1:{TestConfigs.UnusedPort()}"));
        using HttpClient client = proxy.CreateClient();

        HttpResponseMessage response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        // The default retry policy tries a refused connection once more (here on the same, only, destination).
        Assert.Equal(2, proxy.Server.Context.Stats.UpstreamConnectFailures);
    }

    [Fact]
    public async Task UpstreamSilent_Answers504AfterResponseHeaderTimeout()
    {
        await using var origin = new TestOrigin(_ => new OriginResponse { Silent = true });
        var config = TestConfigs.OneCluster(origin);
        config = config with
        {
            Clusters = [config.Clusters[0] with { Timeouts = new() { ResponseHeader = TimeSpan.FromMilliseconds(400) } }],
        };
        await using var proxy = InProcessProxy.Start(config);
        using HttpClient client = proxy.CreateClient();

        var clock = Stopwatch.StartNew();
        HttpResponseMessage response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task UpstreamClosesWithoutAnswer_Answers502()
    {
        await using var origin = new TestOrigin(_ => new OriginResponse { CloseWithoutAnswer = true });
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();

        HttpResponseMessage response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task UpstreamSendsGarbage_Answers502()
    {
        await using var origin = new TestOrigin(_ => new OriginResponse { Version = "NONSENSE", Status = 200 });
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();

        HttpResponseMessage response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task UpstreamTruncatesBody_ClientConnectionIsClosed_NeverReusedSilently()
    {
        await using var origin = new TestOrigin(_ => new OriginResponse { GeneratedBodyLength = 10_000, TruncateBodyAfter = 1000 });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        await Assert.ThrowsAsync<IOException>(() => raw.ReadResponseAsync());
    }

    [Fact]
    public async Task NoMatchingRoute_Answers404()
    {
        await using var origin = new TestOrigin();
        var config = TestConfigs.OneCluster(origin);
        config = config with { Routes = [config.Routes[0] with { Hosts = ["only.example"] }] };
        await using var proxy = InProcessProxy.Start(config);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: other.example\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        Assert.Equal(404, response.Status);
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task BodyOverLimit_Answers413_WithoutContactingUpstream()
    {
        await using var origin = new TestOrigin();
        var config = TestConfigs.OneCluster(origin);
        config = config with { Limits = config.Limits with { MaxRequestBody = 1000 } };
        await using var proxy = InProcessProxy.Start(config);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        Assert.Equal(413, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Empty(origin.Requests);
    }

    [Fact]
    public async Task MalformedRequest_Answers400AndCloses_NothingForwarded()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        Assert.Equal(400, response.Status);
        Assert.True(await raw.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(origin.Requests);
    }
}
