using System.Diagnostics;
using System.Text;
using Proxy.EndToEnd.Tests.Infrastructure;
using Proxy.Engine.Config;
using Proxy.Protocols.Http1;

namespace Proxy.EndToEnd.Tests;

/// <summary>[limits] crossed by a client: body size found out midway, header and idle timeouts.</summary>
public sealed class ClientLimitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static ProxyConfig WithLimits(TestOrigin origin, Func<LimitsConfig, LimitsConfig> change)
    {
        ProxyConfig config = TestConfigs.OneCluster(origin);
        return config with { Limits = change(config.Limits) };
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_FoundMidway_Answers413_ClosesClientAndUpstreamConnections()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(WithLimits(origin, l => l with { MaxRequestBody = 1000 }));
        using var raw = new RawHttp(proxy.EndPoint);

        // The first 600 bytes are under the limit and go upstream; the next 600 cross it.
        await raw.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + new string('a', 600) + "\r\n");
        await Wait.Until(() => origin.Connections == 1);
        await raw.SendAsync("258\r\n" + new string('b', 600) + "\r\n0\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal(413, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        await raw.ReadToEndAsync(Patience);
        Assert.Empty(origin.Requests);
        Assert.Equal(1, proxy.Server.Context.Stats.Rejects(RejectReason.BodyTooLarge));

        // The upstream connection that carried half a body is gone: the next request needs a new one.
        using var next = new RawHttp(proxy.EndPoint);
        await next.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await next.ReadResponseAsync().WaitAsync(Patience)).Status);
        Assert.Equal(2, origin.Connections);
    }

    [Fact]
    public async Task HeadIncompleteAtHeaderTimeout_Answers408AndCloses()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(WithLimits(origin, l => l with { ClientHeaderTimeout = TimeSpan.FromMilliseconds(600) }));
        using var raw = new RawHttp(proxy.EndPoint);
        var clock = Stopwatch.StartNew();

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n");
        RawResponse response = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal(408, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(5));
        await raw.ReadToEndAsync(Patience);
        Assert.Empty(origin.Requests);
        Assert.Equal(1, proxy.Server.Context.Stats.ResponsesOfClass(4));
    }

    [Fact]
    public async Task HeadIncompleteOnAKeptAliveConnection_Answers408AtHeaderTimeout()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(WithLimits(origin, l => l with
        {
            ClientHeaderTimeout = TimeSpan.FromMilliseconds(600),
            ClientIdleTimeout = TimeSpan.FromSeconds(30),
        }));
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await raw.ReadResponseAsync().WaitAsync(Patience)).Status);
        var clock = Stopwatch.StartNew();
        await raw.SendAsync("GET / HTTP/1.1\r\nHo");
        RawResponse response = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal(408, response.Status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task NothingSentBeforeHeaderTimeout_ClosedWithoutAResponse()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(WithLimits(origin, l => l with { ClientHeaderTimeout = TimeSpan.FromMilliseconds(500) }));
        using var raw = new RawHttp(proxy.EndPoint);

        byte[] received = await raw.ReadToEndAsync(Patience);

        Assert.Empty(received);
    }

    [Fact]
    public async Task IdleKeepAliveConnection_ClosedAtIdleTimeout_BusyOneKeptOpen()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(WithLimits(origin, l => l with { ClientIdleTimeout = TimeSpan.FromSeconds(1) }));
        using var idle = new RawHttp(proxy.EndPoint);
        using var busy = new RawHttp(proxy.EndPoint);

        await idle.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await idle.ReadResponseAsync().WaitAsync(Patience)).Status);
        var clock = Stopwatch.StartNew();
        Task<byte[]> idleEnd = idle.ReadToEndAsync(Patience);

        // A connection that keeps asking, every 200 ms for twice the idle timeout, is never cut. (The margin, 800 ms
        // a round, is wide because the whole suite runs in parallel on two cores.)
        for (int i = 0; i < 10; i++)
        {
            await busy.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            Assert.Equal(200, (await busy.ReadResponseAsync().WaitAsync(Patience)).Status);
            await Task.Delay(200);
        }

        Assert.Empty(await idleEnd);      // closed quietly: an idle close is not an error
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(10));
        await busy.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(200, (await busy.ReadResponseAsync().WaitAsync(Patience)).Status);
    }

    [Fact]
    public async Task Http10WithoutKeepAlive_ClosedAfterResponse_Http10WithKeepAlive_KeptOpen()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using var plain = new RawHttp(proxy.EndPoint);
        using var kept = new RawHttp(proxy.EndPoint);

        await plain.SendAsync("GET / HTTP/1.0\r\n\r\n");
        RawResponse closed = await plain.ReadResponseAsync().WaitAsync(Patience);
        await kept.SendAsync("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        RawResponse open = await kept.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal("close", closed.Header("Connection"));
        Assert.True(await plain.IsClosedByServerAsync(Patience));
        Assert.Equal("keep-alive", open.Header("Connection"));
        Assert.False(await kept.IsClosedByServerAsync(TimeSpan.FromMilliseconds(300)));
    }

    internal static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
