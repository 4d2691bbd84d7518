using System.Net;
using System.Text;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>Requests and responses through the proxy: heads rewritten as a proxy must, bodies in every framing.</summary>
public sealed class ForwardingTests
{
    [Fact]
    public async Task Get_ThroughProxy_ReturnsOriginResponse()
    {
        await using var origin = new TestOrigin(_ => OriginResponse.Text("hello"));
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();

        HttpResponseMessage response = await client.GetAsync("/some/path?x=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        OriginRequest seen = Assert.Single(origin.Requests);
        Assert.Equal("GET", seen.Method);
        Assert.Equal("/some/path?x=1", seen.Target);
        Assert.Equal("HTTP/1.1", seen.Version);
    }

    [Fact]
    public async Task Get_AddsForwardingHeaders_AndAppendsToExistingOnes()
    {
        await using var origin = new TestOrigin();
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: 10.0.0.1\r\n" +
                            "X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\nVia: 1.1 edge\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        OriginRequest seen = Assert.Single(origin.Requests);
        Assert.Equal("shop.example", seen.Header("Host"));
        Assert.Equal("10.0.0.1, 127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("http", seen.Header("X-Forwarded-Proto"));
        Assert.Equal("shop.example", seen.Header("X-Forwarded-Host"));
        Assert.Equal("1.1 edge, 1.1 proxy", seen.Header("Via"));
        Assert.Equal("1.1 proxy", response.Header("Via"));
    }

    [Fact]
    public async Task Get_RemovesHopByHopHeadersAndThoseNamedInConnection()
    {
        await using var origin = new TestOrigin(_ => new OriginResponse
        {
            Body = "x"u8.ToArray(),
            Headers = [new("Keep-Alive", "timeout=5"), new("X-Private", "secret"), new("Connection", "X-Private"), new("X-Public", "ok")],
        });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Secret\r\nX-Secret: 1\r\n" +
                            "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\nUpgrade: websocket\r\nX-Kept: yes\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        OriginRequest seen = Assert.Single(origin.Requests);
        foreach (string hop in new[] { "Connection", "X-Secret", "Keep-Alive", "TE", "Proxy-Connection", "Upgrade" })
        {
            Assert.False(seen.Has(hop), $"{hop} reached the origin");
        }
        Assert.Equal("yes", seen.Header("X-Kept"));
        Assert.Null(response.Header("Keep-Alive"));
        Assert.Null(response.Header("X-Private"));
        Assert.Equal("ok", response.Header("X-Public"));
    }

    [Fact]
    public async Task Post_ContentLengthBody_ReachesOriginWhole()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"got {r.BodyLength}"));
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();
        byte[] body = Encoding.ASCII.GetBytes(new string('b', 100_000));

        HttpResponseMessage response = await client.PostAsync("/upload", new ByteArrayContent(body));

        Assert.Equal("got 100000", await response.Content.ReadAsStringAsync());
        OriginRequest seen = Assert.Single(origin.Requests);
        Assert.Equal(body, seen.Body);
        Assert.Equal("100000", seen.Header("Content-Length"));
        Assert.False(seen.BodyWasChunked);
    }

    [Fact]
    public async Task Post_ChunkedBody_IsReencodedChunked_WithTrailers()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"got {r.BodyLength}"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                            "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        Assert.Equal("got 11", response.BodyText);
        OriginRequest seen = Assert.Single(origin.Requests);
        Assert.True(seen.BodyWasChunked);
        Assert.Equal("hello world", Encoding.ASCII.GetString(seen.Body));
        Assert.Equal("42", seen.Header("trailer:X-Checksum"));
    }

    [Fact]
    public async Task Post_ChunkedBody_TrailersThatMayNotBeTrailers_AreDropped()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"got {r.BodyLength}"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n" +
                            "Host: evil.example\r\nContent-Length: 99\r\nX-Checksum: 42\r\nIf-Match: \"x\"\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        Assert.Equal("got 5", response.BodyText);
        OriginRequest seen = Assert.Single(origin.Requests);
        Assert.Equal("42", seen.Header("trailer:X-Checksum"));
        Assert.False(seen.Has("trailer:Host"));
        Assert.False(seen.Has("trailer:Content-Length"));
        Assert.False(seen.Has("trailer:If-Match"));
    }

    [Fact]
    public async Task Post_ChunkedFromHttpClient_StreamsThrough()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"got {r.BodyLength}"));
        await using var proxy = InProcessProxy.Start(origin);
        using HttpClient client = proxy.CreateClient();
        var content = new StreamContent(new MemoryStream(new byte[300_000]));    // no length: HttpClient sends it chunked
        content.Headers.ContentLength = null;

        HttpResponseMessage response = await client.PostAsync("/", content);

        Assert.Equal("got 300000", await response.Content.ReadAsStringAsync());
        Assert.True(Assert.Single(origin.Requests).BodyWasChunked);
    }

    [Theory]
    [InlineData(OriginFraming.ContentLength)]
    [InlineData(OriginFraming.Chunked)]
    [InlineData(OriginFraming.CloseDelimited)]
    public async Task Response_AnyUpstreamFraming_ReachesHttp11ClientWhole_AndConnectionSurvives(OriginFraming framing)
    {
        await using var origin = new TestOrigin(_ => new OriginResponse { GeneratedBodyLength = 200_000, Framing = framing });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        for (int i = 0; i < 2; i++)
        {
            await raw.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawResponse response = await raw.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            AssertGeneratedBody(response.Body, 200_000);
            if (framing != OriginFraming.ContentLength) Assert.Equal("chunked", response.Header("Transfer-Encoding"));
        }
    }

    [Fact]
    public async Task Response_ChunkedUpstream_ToHttp10Client_IsCloseDelimited()
    {
        await using var origin = new TestOrigin(_ => new OriginResponse { GeneratedBodyLength = 5000, Framing = OriginFraming.Chunked });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.0\r\nHost: a\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync();

        Assert.Null(response.Header("Transfer-Encoding"));
        Assert.Equal("close", response.Header("Connection"));
        AssertGeneratedBody(response.Body, 5000);
    }

    [Fact]
    public async Task Http10_KeepAliveRequested_IsKeptAlive()
    {
        await using var origin = new TestOrigin(_ => OriginResponse.Text("ten"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        RawResponse first = await raw.ReadResponseAsync();
        await raw.SendAsync("GET / HTTP/1.0\r\n\r\n");
        RawResponse second = await raw.ReadResponseAsync();

        Assert.Equal("keep-alive", first.Header("Connection"));
        Assert.Equal("ten", first.BodyText);
        Assert.Equal("ten", second.BodyText);
        Assert.True(await raw.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("HEAD", 200)]
    [InlineData("GET", 204)]
    [InlineData("GET", 304)]
    public async Task Response_WithoutBody_CarriesNone_AndConnectionSurvives(string method, int status)
    {
        await using var origin = new TestOrigin(_ => status == 200
            ? OriginResponse.Text("body that HEAD must not get")
            : new OriginResponse { Status = status, Reason = "X", Framing = OriginFraming.NoBody });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync($"{method} / HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync(requestWasHead: method == "HEAD");
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse next = await raw.ReadResponseAsync(requestWasHead: status == 200 ? false : status is 204 or 304);

        Assert.Equal(status, response.Status);
        Assert.Equal(status, next.Status);
        if (method == "HEAD") Assert.Equal("27", response.Header("Content-Length"));
    }

    [Fact]
    public async Task Interim103_IsPassedOnBeforeTheFinalResponse()
    {
        await using var origin = new TestOrigin(_ => OriginResponse.Text("final") with
        {
            InterimResponses = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n",
        });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse interim = await raw.ReadResponseAsync();
        RawResponse final = await raw.ReadResponseAsync();

        Assert.Equal(103, interim.Status);
        Assert.Equal("</style.css>; rel=preload", interim.Header("Link"));
        Assert.Equal("final", final.BodyText);
    }

    [Fact]
    public async Task ExpectContinue_IsAnsweredByProxy_AndBodyArrives()
    {
        await using var origin = new TestOrigin(r => OriginResponse.Text($"got {r.BodyLength}"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        RawResponse interim = await raw.ReadResponseAsync();
        await raw.SendAsync("data");
        RawResponse final = await raw.ReadResponseAsync();

        Assert.Equal(100, interim.Status);
        Assert.Equal("got 4", final.BodyText);
        Assert.False(Assert.Single(origin.Requests).Has("Expect"));
    }

    internal static void AssertGeneratedBody(byte[] body, long expectedLength)
    {
        Assert.Equal(expectedLength, body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] != OriginResponse.GeneratedByte(i)) Assert.Fail($"body differs at byte {i}");
        }
    }
}
