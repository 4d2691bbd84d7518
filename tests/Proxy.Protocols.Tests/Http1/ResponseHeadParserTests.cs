using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

public class ResponseHeadParserTests
{
    private static readonly HeadParserHarness<ResponseHead> Parser = HeadParserHarness.ForResponses(HeadLimits.Default);

    private static string Ok(string fields = "") => "HTTP/1.1 200 OK\r\n" + fields + "\r\n";

    // ---- valid heads -------------------------------------------------------------------------------------

    [Fact]
    public void TryParse_TypicalResponse_ReadsStatusReasonFieldsAndFraming()
    {
        const string text = "HTTP/1.1 200 OK\r\nServer: origin\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n" +
            "Content-Type: text/html; charset=utf-8\r\nContent-Length: 1024\r\nSet-Cookie: a=b; Path=/\r\n\r\n";
        ResponseHead head = Parser.ParsesAllWays(text);

        Assert.Equal(200, head.StatusCode);
        Assert.Equal("OK", Text(head.Reason));
        Assert.Equal(HttpVersion.Http11, head.Version);
        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal(1024, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.False(head.IsInterim);
        Assert.Equal(
            "Server: origin [Server]\nDate: Mon, 01 Jan 2024 00:00:00 GMT [Date]\nContent-Type: text/html; charset=utf-8 [ContentType]\n" +
            "Content-Length: 1024 [ContentLength]\nSet-Cookie: a=b; Path=/ [SetCookie]",
            HeadSnapshot.HeadersOf(head));
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content", 204, "No Content")]
    [InlineData("HTTP/1.1 404 ", 404, "")]
    [InlineData("HTTP/1.1 404", 404, "")]
    [InlineData("HTTP/1.0 500 Internal  Server\tError", 500, "Internal  Server\tError")]
    [InlineData("HTTP/1.1 999 Odd", 999, "Odd")]
    [InlineData("HTTP/1.1 100 Continue", 100, "Continue")]
    [InlineData("HTTP/1.1 200 D\xe9j\xe0 vu", 200, "D\xe9j\xe0 vu")]
    public void TryParse_StatusLines_ReadCodeAndReason(string statusLine, int code, string reason)
    {
        ResponseHead head = Parser.ParsesAllWays(statusLine + "\r\n\r\n");

        Assert.Equal(code, head.StatusCode);
        Assert.Equal(reason, Text(head.Reason));
    }

    [Fact]
    public void TryParse_BareLineFeeds_AcceptedInResponses()
    {
        const string text = "HTTP/1.1 200 OK\nContent-Length: 2\r\nX-A: 1\n\nhi";
        ResponseHead head = Parser.ParsesAllWays(text);

        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal("1", Text(head.ValueOf(head.Headers[1])));
        Parser.TryParseWhole(Bytes(text), out long consumed);
        Assert.Equal(text.IndexOf("hi", StringComparison.Ordinal), consumed);
    }

    [Theory]
    [InlineData(KnownMethod.Head, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")]
    [InlineData(KnownMethod.Head, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData(KnownMethod.Get, "HTTP/1.1 100 Continue\r\n\r\n")]
    [InlineData(KnownMethod.Get, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")]
    [InlineData(KnownMethod.Get, "HTTP/1.1 204 No Content\r\n\r\n")]
    [InlineData(KnownMethod.Get, "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n")]
    [InlineData(KnownMethod.Get, "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")]
    [InlineData(KnownMethod.Get, "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData(KnownMethod.Connect, "HTTP/1.1 200 Connection Established\r\n\r\n")]
    public void TryParse_ResponsesWithoutBody_FramedAsNone(KnownMethod requestMethod, string text)
    {
        ResponseHead head = HeadParserHarness.ForResponses(HeadLimits.Default, requestMethod).ParsesAllWays(text);

        Assert.Equal(BodyFraming.None, head.Framing);
        Assert.Equal(-1, head.ContentLength);
        Assert.True(head.KeepAlive);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: Chunked\r\n")]
    [InlineData("Transfer-Encoding:\tchunked \r\n")]
    [InlineData("Transfer-Encoding: ,chunked\r\n")]
    public void TryParse_TransferEncodingEndingInChunked_FramedAsChunked(string fields)
    {
        ResponseHead head = Parser.ParsesAllWays(Ok(fields));

        Assert.Equal(BodyFraming.Chunked, head.Framing);
        Assert.True(head.KeepAlive);
        Assert.True(head.Headers[0].IsHopByHop);
    }

    [Theory]
    [InlineData("Transfer-Encoding: gzip\r\n")]
    [InlineData("Transfer-Encoding: chunked, gzip\r\n")]
    [InlineData("Transfer-Encoding: identity\r\n")]
    public void TryParse_TransferEncodingNotEndingInChunked_ReadUntilCloseWithoutKeepAlive(string fields)
    {
        ResponseHead head = Parser.ParsesAllWays(Ok(fields));

        Assert.Equal(BodyFraming.CloseDelimited, head.Framing);
        Assert.False(head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n")]
    public void TryParse_NoLengthNoTransferEncoding_ReadUntilCloseWithoutKeepAlive(string text)
    {
        ResponseHead head = Parser.ParsesAllWays(text);

        Assert.Equal(BodyFraming.CloseDelimited, head.Framing);
        Assert.False(head.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive, close\r\n\r\n", false)]
    public void TryParse_ConnectionOptions_DecideKeepAlive(string text, bool keepAlive)
    {
        Assert.Equal(keepAlive, Parser.ParsesAllWays(text).KeepAlive);
    }

    [Fact]
    public void TryParse_FieldsNamedInConnection_MarkedHopByHop()
    {
        ResponseHead head = Parser.ParsesAllWays(Ok("Content-Length: 0\r\nConnection: X-Internal\r\nx-internal: secret\r\nKeep-Alive: timeout=5\r\n"));

        Assert.Equal(
            "Content-Length: 0 [ContentLength]\nConnection: X-Internal [Connection] hop\nx-internal: secret [None] hop\n" +
            "Keep-Alive: timeout=5 [KeepAlive] hop",
            HeadSnapshot.HeadersOf(head));
    }

    [Theory]
    [InlineData("Content-Length: 7\r\nContent-Length: 7\r\n")]
    [InlineData("Content-Length: 7, 7\r\n")]
    public void TryParse_RepeatedIdenticalContentLength_AcceptsTheValue(string fields)
    {
        Assert.Equal(7, Parser.ParsesAllWays(Ok(fields)).ContentLength);
    }

    [Fact]
    public void TryParse_HeadExactlyAtLimitAndCountAtLimit_Accepted()
    {
        var parser = HeadParserHarness.ForResponses(new HeadLimits(64, 2, 64));
        string text = PaddedTo(64);
        Assert.Equal(64, text.Length);

        parser.ParsesAllWays(text);
    }

    // ---- rejections ---------------------------------------------------------------------------------------

    [Fact]
    public void TryParse_HeadOneByteOverLimit_RejectsHeadTooLarge()
    {
        var parser = HeadParserHarness.ForResponses(new HeadLimits(64, 2, 64));
        string text = PaddedTo(65);

        Assert.Equal(RejectReason.HeadTooLarge, parser.RejectsAllWays(text));
    }

    [Fact]
    public void TryParse_OneHeaderOverCount_RejectsTooManyHeaders()
    {
        var parser = HeadParserHarness.ForResponses(new HeadLimits(1024, 2, 1024));

        Assert.Equal(RejectReason.TooManyHeaders, parser.RejectsAllWays(Ok("A: 1\r\nB: 2\r\nC: 3\r\n")));
    }

    [Theory]
    [InlineData("HTTP/1.1 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.1 000\r\n\r\n")]
    [InlineData("HTTP/1.1\r\n\r\n")]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 -20 OK\r\n\r\n")]
    public void TryParse_StatusCodeNotThreeDigitsFrom100_RejectsInvalidStatusCode(string text)
    {
        Assert.Equal(RejectReason.InvalidStatusCode, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 O\0K\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\x01K\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\x7fK\r\n\r\n")]
    public void TryParse_ControlByteInReason_RejectsInvalidStartLine(string text)
    {
        Assert.Equal(RejectReason.InvalidStartLine, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("HTTP/1 200 OK\r\n\r\n")]
    [InlineData("http/1.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1x 200 OK\r\n\r\n")]
    [InlineData("ICY 200 OK\r\n\r\n")]
    [InlineData("<html>\r\n\r\n")]
    [InlineData("\r\nHTTP/1.1 200 OK\r\n\r\n")]
    public void TryParse_MalformedVersion_RejectsInvalidVersion(string text)
    {
        Assert.Equal(RejectReason.InvalidVersion, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.2 200 OK\r\n\r\n")]
    [InlineData("HTTP/0.9 200 OK\r\n\r\n")]
    public void TryParse_WellFormedOtherVersion_RejectsUnsupportedVersion(string text)
    {
        Assert.Equal(RejectReason.UnsupportedVersion, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\rX-B: 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 O\rK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n\r\r\n")]
    public void TryParse_BareCarriageReturn_Rejects(string text)
    {
        Assert.Equal(RejectReason.BareCarriageReturn, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("X-A: 1\r\n folded\r\n", RejectReason.ObsoleteLineFolding)]
    [InlineData("X-A: 1\n\tfolded\n", RejectReason.ObsoleteLineFolding)]
    [InlineData("Content-Length : 5\r\n", RejectReason.WhitespaceBeforeColon)]
    [InlineData("X A: 1\r\n", RejectReason.InvalidHeaderName)]
    [InlineData(": 1\r\n", RejectReason.InvalidHeaderName)]
    [InlineData("X-A: \0\r\n", RejectReason.InvalidHeaderValue)]
    [InlineData("X-A: a\x0b\r\n", RejectReason.InvalidHeaderValue)]
    public void TryParse_MalformedFieldLine_RejectsLikeRequests(string field, RejectReason reason)
    {
        Assert.Equal(reason, Parser.RejectsAllWays(Ok(field)));
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: gzip\r\nContent-Length: 5\r\n")]
    public void TryParse_ContentLengthAndTransferEncoding_Rejects(string fields)
    {
        Assert.Equal(RejectReason.ContentLengthWithTransferEncoding, Parser.RejectsAllWays(Ok(fields)));
    }

    [Fact]
    public void TryParse_ContentLengthAndTransferEncodingOnResponseToHead_StillRejected()
    {
        var parser = HeadParserHarness.ForResponses(HeadLimits.Default, KnownMethod.Head);

        Assert.Equal(RejectReason.ContentLengthWithTransferEncoding,
            parser.RejectsAllWays(Ok("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")));
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nContent-Length: 6\r\n", RejectReason.ConflictingContentLength)]
    [InlineData("Content-Length: 5, 6\r\n", RejectReason.ConflictingContentLength)]
    [InlineData("Content-Length: five\r\n", RejectReason.InvalidContentLength)]
    [InlineData("Content-Length: -5\r\n", RejectReason.InvalidContentLength)]
    public void TryParse_BadContentLength_Rejects(string fields, RejectReason reason)
    {
        Assert.Equal(reason, Parser.RejectsAllWays(Ok(fields)));
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked, chunked\r\n", RejectReason.InvalidTransferEncoding)]
    [InlineData("Transfer-Encoding: \"chunked\"\r\n", RejectReason.InvalidTransferEncoding)]
    [InlineData("Transfer-Encoding: \r\n", RejectReason.InvalidTransferEncoding)]
    [InlineData("Transfer-Encoding: gzip, chunked\r\n", RejectReason.UnsupportedTransferCoding)]
    public void TryParse_BadTransferEncoding_Rejects(string fields, RejectReason reason)
    {
        Assert.Equal(reason, Parser.RejectsAllWays(Ok(fields)));
    }

    [Fact]
    public void TryParse_Http10WithTransferEncoding_RejectsInvalidTransferEncoding()
    {
        Assert.Equal(RejectReason.InvalidTransferEncoding, Parser.RejectsAllWays("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
    }

    /// <summary>A response head of two fields whose last value is padded to make it <paramref name="length"/> bytes long.</summary>
    private static string PaddedTo(int length)
    {
        const string start = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ";
        return start + new string('p', length - start.Length - 4) + "\r\n\r\n";
    }
}
