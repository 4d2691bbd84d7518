using System.Text;
using Proxy.EndToEnd.Tests.Infrastructure;

namespace Proxy.EndToEnd.Tests;

/// <summary>
/// Upstream responses that are malformed, ambiguous or unusual: the client gets a 502 when nothing was sent yet, a
/// closed connection when part of a response was, interim responses where they belong, never a body on HEAD; and
/// an upstream connection is never reused once its framing is in doubt (counted with the origin's connections).
/// </summary>
public sealed class ResponseConformanceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>An origin answering <c>/bad</c> with <paramref name="bad"/> and anything else with "fine".</summary>
    private static TestOrigin OriginWith(OriginResponse bad) =>
        new(r => r.Target == "/bad" ? bad : OriginResponse.Text("fine"));

    [Theory]
    [InlineData("invalid-status-code", "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("status-below-100", "HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("status-above-599", "HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("invalid-version", "HTTP/1.x 200 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("control-in-reason", "HTTP/1.1 200 O\u0001K\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("space-in-header-name", "HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("space-before-colon", "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok")]
    [InlineData("nul-in-header-value", "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("obs-fold", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("cl-and-te", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")]
    [InlineData("cl-differing-fields", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!")]
    [InlineData("cl-differing-list", "HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok!")]
    [InlineData("cl-not-a-number", "HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\nok")]
    [InlineData("te-gzip-close-delimited", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nnot really gzip")]
    [InlineData("te-chunked-then-gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n2\r\nok\r\n0\r\n\r\n")]
    [InlineData("te-gzip-then-chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")]
    [InlineData("te-in-http10", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")]
    [InlineData("te-empty", "HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\nok")]
    [InlineData("switching-protocols-unasked", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")]
    public async Task InvalidResponseHead_Answers502_AndUpstreamConnectionIsNotReused(string why, string response)
    {
        await using var origin = OriginWith(OriginResponse.Raw(response));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse refused = await raw.ReadResponseAsync().WaitAsync(Patience);
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse next = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.True(refused.Status == 502, $"{why}: {refused.StatusLine}");
        Assert.Equal("fine", next.BodyText);
        Assert.True(origin.Connections == 2, $"{why}: the upstream connection was reused after an invalid response");
        Assert.Equal(1, proxy.Server.Context.Stats.UpstreamErrors);
    }

    [Fact]
    public async Task TransferCodingOtherThanChunked_Is502_NotPassedOnUndeclared()
    {
        // The upstream's body is gzip-coded and framed by its close. Transfer-Encoding is hop-by-hop, so passing the
        // body on would hand the client coded bytes with nothing saying so; refused like any unframeable response.
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\u001f\u008b\u0008\u0000") with { Close = true });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal(502, response.Status);
        Assert.Null(response.Header("Transfer-Encoding"));
    }

    [Fact]
    public async Task ContentLengthBodyShorterThanAnnounced_ClientConnectionClosedMidBody()
    {
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this") with { Close = true });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        string received = Encoding.Latin1.GetString(await raw.ReadToEndAsync(Patience));

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", received, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 100\r\n", received, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nonly this", received, StringComparison.Ordinal);
        Assert.Equal(1, proxy.Server.Context.Stats.UpstreamErrors);
        await AssertNextRequestUsesANewUpstreamConnection(proxy, origin, expectedConnections: 2);
    }

    [Fact]
    public async Task ChunkedBodyCutShort_ClientGetsNoLastChunk_AndConnectionClosed()
    {
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nonly") with { Close = true });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        string received = Encoding.Latin1.GetString(await raw.ReadToEndAsync(Patience));

        Assert.Contains("Transfer-Encoding: chunked\r\n", received, StringComparison.Ordinal);
        Assert.Contains("hello", received, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n0\r\n", received, StringComparison.Ordinal);
        await AssertNextRequestUsesANewUpstreamConnection(proxy, origin, expectedConnections: 2);
    }

    [Fact]
    public async Task MalformedChunkMidBody_UpstreamStillOpen_ClientClosed_UpstreamNeverReused()
    {
        // The upstream keeps its connection open after a chunk whose size lied: only our own framing check can
        // tell, and once it has, nothing else on that connection can be trusted.
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        string received = Encoding.Latin1.GetString(await raw.ReadToEndAsync(Patience));

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", received, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n0\r\n", received, StringComparison.Ordinal);
        await AssertNextRequestUsesANewUpstreamConnection(proxy, origin, expectedConnections: 2);
    }

    [Fact]
    public async Task BytesAfterAContentLengthBody_UpstreamConnectionNotReused()
    {
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse first = await raw.ReadResponseAsync().WaitAsync(Patience);
        await Task.Delay(100);
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse second = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal("hello", first.BodyText);
        Assert.Equal("fine", second.BodyText);
        Assert.Equal(2, origin.Connections);
    }

    [Fact]
    public async Task HeadResponse_UpstreamSendsABodyAnyway_ClientGetsNone_UpstreamConnectionNotReused()
    {
        // The body arrives after the head, so it is not in the buffer when the head is parsed: only refusing to
        // reuse the connection keeps those bytes from being read as the answer to the next request.
        await using var origin = OriginWith(new OriginResponse
        {
            RawPieces = [Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 44\r\n\r\n"),
                         Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil")],
            PieceDelay = TimeSpan.FromMilliseconds(300),
        });
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("HEAD /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse head = await raw.ReadResponseAsync(requestWasHead: true).WaitAsync(Patience);
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse next = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal(200, head.Status);
        Assert.Equal("44", head.Header("Content-Length"));
        Assert.Equal("fine", next.BodyText);
        Assert.Equal(2, origin.Connections);
    }

    [Fact]
    public async Task HeadResponse_AnnouncingNoBody_KeepsTheUpstreamConnection()
    {
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("HEAD /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        await raw.ReadResponseAsync(requestWasHead: true).WaitAsync(Patience);
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse next = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal("fine", next.BodyText);
        Assert.Equal(1, origin.Connections);
    }

    [Fact]
    public async Task Interim100_FromUpstream_IsPassedToHttp11Client()
    {
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        var interim = new List<int>();
        RawResponse final = await raw.ReadFinalResponseAsync(interim).WaitAsync(Patience);

        Assert.Equal([100], interim);
        Assert.Equal("ok", final.BodyText);
    }

    [Fact]
    public async Task SeveralInterimResponses_PassedInOrder_ThenTheFinalOne()
    {
        await using var origin = OriginWith(OriginResponse.Raw(
            "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" +
            "HTTP/1.1 103 Early Hints\r\nLink: </b.js>; rel=preload\r\n\r\n" +
            "HTTP/1.1 100 Continue\r\n\r\n" +
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        var interim = new List<int>();
        RawResponse final = await raw.ReadFinalResponseAsync(interim).WaitAsync(Patience);
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse next = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal([103, 103, 100], interim);
        Assert.Equal("ok", final.BodyText);
        Assert.Equal("fine", next.BodyText);
        Assert.Equal(1, origin.Connections);
    }

    [Fact]
    public async Task InterimResponses_AreNotSentToHttp10Clients()
    {
        await using var origin = OriginWith(OriginResponse.Raw(
            "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.0\r\n\r\n");
        RawResponse first = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal(200, first.Status);
        Assert.Equal("ok", first.BodyText);
    }

    [Fact]
    public async Task ChunkedResponseTrailers_ReachHttp11Client()
    {
        await using var origin = OriginWith(OriginResponse.Raw(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 42\r\n\r\n"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        string received = Encoding.Latin1.GetString(await raw.ReadToEndAsync(Patience));

        Assert.EndsWith("\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 42\r\n\r\n", received, StringComparison.Ordinal);
        Assert.Contains("Trailer: X-Checksum\r\n", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkedResponseTrailers_ThatMayNotBeTrailers_AreDropped()
    {
        await using var origin = OriginWith(OriginResponse.Raw(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n" +
            "Content-Length: 99\r\nX-Checksum: 42\r\nContent-Type: text/evil\r\nWWW-Authenticate: Basic\r\n\r\n"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        string received = Encoding.Latin1.GetString(await raw.ReadToEndAsync(Patience));

        Assert.EndsWith("\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: 42\r\n\r\n", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentLengthList_FromUpstream_ReachesClientAsOnePlainValue()
    {
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal("2", response.Header("Content-Length"));     // Header() demands a single field
        Assert.Equal("ok", response.BodyText);
    }

    [Fact]
    public async Task NoContentResponse_WithContentLength_ReachesClientWithout()
    {
        // RFC 9110 §8.6: a 204 never has Content-Length; a client trusting one would wait for a body.
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal(204, response.Status);
        Assert.Null(response.Header("Content-Length"));
    }

    [Fact]
    public async Task ViaNamedInConnectionByUpstream_IsNotPassedOn_OursIs()
    {
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 200 OK\r\nConnection: Via\r\nVia: 1.1 inner\r\nContent-Length: 2\r\n\r\nok"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse response = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Equal("1.1 proxy", response.Header("Via"));
    }

    [Fact]
    public async Task ConnectionCloseFromUpstream_ClientKeepsItsConnection_UpstreamConnectionNotReused()
    {
        await using var origin = OriginWith(OriginResponse.Raw("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"));
        await using var proxy = InProcessProxy.Start(origin);
        using var raw = new RawHttp(proxy.EndPoint);

        await raw.SendAsync("GET /bad HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse first = await raw.ReadResponseAsync().WaitAsync(Patience);
        await raw.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse next = await raw.ReadResponseAsync().WaitAsync(Patience);

        Assert.Null(first.Header("Connection"));
        Assert.Equal("fine", next.BodyText);
        Assert.Equal(2, origin.Connections);
    }

    private static async Task AssertNextRequestUsesANewUpstreamConnection(InProcessProxy proxy, TestOrigin origin, int expectedConnections)
    {
        using var next = new RawHttp(proxy.EndPoint);
        await next.SendAsync("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        RawResponse response = await next.ReadResponseAsync().WaitAsync(Patience);
        Assert.Equal("fine", response.BodyText);
        Assert.Equal(expectedConnections, origin.Connections);
    }
}
