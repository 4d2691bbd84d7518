using System.Net;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>Connections reused on both sides; pipelined requests answered in order.</summary>
public sealed class KeepAliveTests
{
    [Fact]
    public async Task ManyRequests_ReuseFewUpstreamConnections()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();

        for (int i = 0; i < 200; i++)
        {
            HttpResponseMessage response = await client.GetAsync($"/r{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(200, origin.Requests.Count);
        Assert.InRange(origin.Connections, 1, 3);
    }

    [Fact]
    public async Task ConcurrentClients_AllAnswered_ConnectionsBoundedByConcurrency()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text(r.Target));
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();

        var tasks = Enumerable.Range(0, 16).Select(async worker =>
        {
            for (int i = 0; i < 50; i++)
            {
                string path = $"/w{worker}/r{i}";
                Assert.Equal(path, await client.GetStringAsync(path));
            }
        });
        await Task.WhenAll(tasks);

        Assert.Equal(800, origin.Requests.Count);
        Assert.InRange(origin.Connections, 1, 16);
    }

    [Fact]
    public async Task PipelinedRequests_AreAnsweredInOrder()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text(r.Target));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /one HTTP/1.1\r\nHost: a\r\n\r\n" +
                            "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc" +
                            "GET /three HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal("/one", (await raw.ReadResponseAsync()).BodyText);
        Assert.Equal("/two", (await raw.ReadResponseAsync()).BodyText);
        Assert.Equal("/three", (await raw.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task ConnectionClose_FromClient_IsHonoured()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await raw.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ConnectionClose_FromUpstream_ClosesOnlyTheUpstreamConnection()
    {
        await using var origin = new TestOrigin(_ => OriginResponse.Text("bye") with { Close = true });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        for (int i = 0; i < 3; i++)
        {
            await raw.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse response = await raw.ReadResponseAsync();
            Assert.Equal("bye", response.BodyText);
            Assert.Null(response.Header("Connection"));
        }
        Assert.Equal(3, origin.Connections);
    }

    [Fact]
    public async Task UpstreamClosingIdleConnections_IsRetriedOnANewOne()
    {
        // The origin closes each connection right after its response without saying so: the next request on the
        // pooled connection meets a closed socket, which the proxy must absorb for a request without a body.
        await using var origin = new TestOrigin(r => OriginResponse.Text(r.Target) with { Close = r.Target != "/first" });
        await using var proxy = InProcessProxy.Start(TestConfigs.OneCluster(origin));
        using HttpClient client = proxy.CreateClient();

        for (int i = 0; i < 20; i++)
        {
            string path = i == 0 ? "/first" : $"/r{i}";
            Assert.Equal(path, await client.GetStringAsync(path));
        }
    }

    [Fact]
    public async Task ReleaseIdleBuffers_KeepAliveAndPipeliningStillWork()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text(r.Target));
        var config = TestConfigs.OneCluster(origin);
        config = config with { Server = config.Server with { ReleaseIdleBuffers = true } };
        await using var proxy = InProcessProxy.Start(config);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("/a", (await raw.ReadResponseAsync()).BodyText);
        Assert.Equal("/b", (await raw.ReadResponseAsync()).BodyText);
        await Task.Delay(100);
        await raw.SendAsync("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("/c", (await raw.ReadResponseAsync()).BodyText);
    }
}
