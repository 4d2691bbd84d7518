using System.Text;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// What reaches the upstream for requests the RFCs single out: OPTIONS to an empty path, bodies on GET and DELETE,
/// upgrades, duplicate framing fields, fields that mimic framing ones. (Corpus/ has many more, as data.)
/// </summary>
public sealed class RequestConformanceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static async Task<(RawResponse Response, OriginRequest Seen)> ForwardAsync(string request)
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"{r.Method} {r.Target}"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);
        await raw.SendAsync(request);
        RawResponse response = await raw.ReadFinalResponseAsync().WaitAsync(Patience);
        return (response, Assert.Single(origin.Requests));
    }

    [Theory]
    [InlineData("OPTIONS http://a.test HTTP/1.1", "*")]
    [InlineData("OPTIONS http://a.test:81 HTTP/1.1", "*")]
    [InlineData("OPTIONS * HTTP/1.1", "*")]
    [InlineData("OPTIONS http://a.test/ HTTP/1.1", "/")]
    [InlineData("OPTIONS http://a.test?q HTTP/1.1", "/?q")]
    [InlineData("GET http://a.test HTTP/1.1", "/")]
    public async Task Options_AbsoluteFormWithEmptyPath_IsForwardedAsAsterisk(string requestLine, string expectedTarget)
    {
        (RawResponse response, OriginRequest seen) = await ForwardAsync($"{requestLine}\r\nHost: a.test\r\n\r\n");

        Assert.Equal(200, response.Status);
        Assert.Equal(expectedTarget, seen.Target);
    }

    [Fact]
    public async Task Get_WithContentLengthBody_BodyIsForwarded()
    {
        (_, OriginRequest seen) = await ForwardAsync("GET /search HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\n{\"q\":\"x\"}");

        Assert.Equal("GET", seen.Method);
        Assert.Equal("{\"q\":\"x\"}", Encoding.ASCII.GetString(seen.Body));
        Assert.Equal("9", seen.Header("Content-Length"));
    }

    [Fact]
    public async Task Delete_WithChunkedBody_BodyIsForwardedChunked()
    {
        (_, OriginRequest seen) = await ForwardAsync("DELETE /item HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

        Assert.Equal("DELETE", seen.Method);
        Assert.True(seen.BodyWasChunked);
        Assert.Equal("abc", Encoding.ASCII.GetString(seen.Body));
    }

    [Fact]
    public async Task WebSocketUpgrade_IsForwardedWithoutUpgrade_AndTheConnectionStaysHttp()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text(r.Target));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /chat HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n" +
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync().WaitAsync(Patience);
        await raw.SendAsync("GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse after = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal(200, response.Status);
        Assert.Null(response.Header("Upgrade"));
        Assert.Equal("/after", after.BodyText);
        OriginRequest seen = origin.Requests.First();
        Assert.False(seen.Has("Upgrade"));
        Assert.False(seen.Has("Connection"));
    }

    [Fact]
    public async Task DuplicateIdenticalContentLengths_UpstreamGetsOneCanonicalField()
    {
        (_, OriginRequest seen) = await ForwardAsync("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 03\r\nContent-Length: 3, 3\r\n\r\nabc");

        Assert.Equal(["3"], seen.All("Content-Length"));
        Assert.Equal("abc", Encoding.ASCII.GetString(seen.Body));
    }

    [Theory]
    [InlineData("Content_Length: 3")]
    [InlineData("Transfer_Encoding: chunked")]
    [InlineData("transfer_encoding: chunked")]
    [InlineData("X_Forwarded_For: 10.6.6.6")]
    [InlineData("X_FORWARDED_HOST: evil.test")]
    [InlineData("X_Forwarded-Proto: https")]
    public async Task UnderscoredLookalikeOfAFieldTheProxyOwns_IsNotForwarded(string field)
    {
        (_, OriginRequest seen) = await ForwardAsync($"GET / HTTP/1.1\r\nHost: a\r\n{field}\r\nX_Ordinary_Name: kept\r\n\r\n");

        string name = field[..field.IndexOf(':', StringComparison.Ordinal)];
        Assert.False(seen.Has(name), $"{name} reached the origin");
        Assert.Equal("kept", seen.Header("X_Ordinary_Name"));
    }

    [Fact]
    public async Task ExpectContinue_WithBodyRefused_NoContinueSent_ClientNeverHasToSendTheBody()
    {
        await using var origin = new TestOrigin();
        var config = TestConfigs.OneCluster(origin);
        config = config with { Limits = config.Limits with { MaxRequestBody = 10 } };
        await using var proxy = InProcessProxy.Start(config);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal(413, response.Status);
        Assert.True(await raw.IsClosedByServerAsync(Patience));
        Assert.Empty(origin.Requests);
    }
}
