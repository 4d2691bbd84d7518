using Proxy.Protocols.Http1;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http1;

public class RequestHeadParserTests
{
    private static readonly HeadParserHarness<RequestHead> Parser = HeadParserHarness.ForRequests(HeadLimits.Default);

    /// <summary>A GET to / on host "a" with <paramref name="fields"/> (each ending in CRLF) after Host.</summary>
    private static string Get(string fields = "") => "GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n";

    // ---- valid heads -------------------------------------------------------------------------------------

    [Fact]
    public void TryParse_SimpleGet_ReadsMethodTargetVersionAndHost()
    {
        RequestHead head = Parser.ParsesAllWays("GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n");

        Assert.Equal(KnownMethod.Get, head.Method);
        Assert.Equal("GET", Text(head.MethodName));
        Assert.Equal("/index.html", Text(head.Target));
        Assert.Equal("/index.html", Text(head.Path));
        Assert.Equal("", Text(head.Query));
        Assert.Equal("example.com", Text(head.Host));
        Assert.False(head.HostFromTarget);
        Assert.Equal(HttpVersion.Http11, head.Version);
        Assert.Equal(BodyFraming.None, head.Framing);
        Assert.Equal(-1, head.ContentLength);
        Assert.True(head.KeepAlive);
        Assert.Equal(1, head.HeaderCount);
        Assert.Equal(KnownHeader.Host, head.Headers[0].Known);
        Assert.False(head.Headers[0].IsHopByHop);
    }

    [Fact]
    public void TryParse_BrowserLikeHead_ReadsEveryFieldInOrder()
    {
        const string text =
            "GET /search?q=proxy&lang=en HTTP/1.1\r\n" +
            "Host: www.example.org\r\n" +
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
            "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
            "Accept-Language: en-US,en;q=0.5\r\n" +
            "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
            "Cookie: session=abc123; theme=dark\r\n" +
            "Upgrade-Insecure-Requests: 1\r\n" +
            "Sec-Fetch-Dest: document\r\n" +
            "Connection: keep-alive\r\n" +
            "\r\n";
        RequestHead head = Parser.ParsesAllWays(text);

        Assert.Equal("/search", Text(head.Path));
        Assert.Equal("?q=proxy&lang=en", Text(head.Query));
        Assert.Equal(9, head.HeaderCount);
        Assert.Equal(KnownHeader.Cookie, head.Headers[5].Known);
        Assert.Equal("session=abc123; theme=dark", Text(head.ValueOf(head.Headers[5])));
        Assert.True(head.Headers[8].IsHopByHop);
        Assert.Equal(text, Text(head.Raw));
    }

    [Fact]
    public void TryParse_BodyBytesAfterHead_ConsumesOnlyTheHead()
    {
        const string headText = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n";
        RequestHead head = Parser.ParsesAllWays(headText + "hello");

        Parser.TryParseWhole(Bytes(headText + "hello"), out long consumed);
        Assert.Equal(headText.Length, consumed);
        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal(5, head.ContentLength);
        Assert.Equal(headText, Text(head.Raw));
    }

    [Fact]
    public void TryParse_ContentLengthZero_FramesAsContentLengthOfZero()
    {
        RequestHead head = Parser.ParsesAllWays("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal(0, head.ContentLength);
    }

    [Theory]
    [InlineData("Content-Length: 42\r\nContent-Length: 42\r\n")]
    [InlineData("Content-Length: 42, 42\r\n")]
    [InlineData("Content-Length: 42 ,\t42\r\n")]
    [InlineData("Content-Length: 0042\r\n")]
    public void TryParse_RepeatedIdenticalContentLength_AcceptsTheValue(string fields)
    {
        RequestHead head = Parser.ParsesAllWays(Get(fields));

        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal(42, head.ContentLength);
    }

    [Fact]
    public void TryParse_LargestContentLength_Accepted()
    {
        RequestHead head = Parser.ParsesAllWays(Get("Content-Length: 9223372036854775807\r\n"));

        Assert.Equal(long.MaxValue, head.ContentLength);
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: CHUNKED\r\n")]
    [InlineData("Transfer-Encoding: ChUnKeD\r\n")]
    [InlineData("Transfer-Encoding:chunked\r\n")]
    [InlineData("Transfer-Encoding: \t chunked \t \r\n")]
    [InlineData("Transfer-Encoding: , chunked,\r\n")]
    [InlineData("Transfer-Encoding: \r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("transfer-encoding: chunked\r\n")]
    public void TryParse_TransferEncodingEndingInChunked_FramesAsChunked(string fields)
    {
        RequestHead head = Parser.ParsesAllWays(Get(fields));

        Assert.Equal(BodyFraming.Chunked, head.Framing);
        Assert.Equal(-1, head.ContentLength);
        foreach (HeaderField field in head.Headers)
        {
            Assert.Equal(field.Known == KnownHeader.TransferEncoding, field.IsHopByHop);
        }
    }

    [Fact]
    public void TryParse_Http10WithoutHost_AcceptedWithEmptyHostAndNoKeepAlive()
    {
        RequestHead head = Parser.ParsesAllWays("GET / HTTP/1.0\r\n\r\n");

        Assert.Equal(HttpVersion.Http10, head.Version);
        Assert.Equal("", Text(head.Host));
        Assert.False(head.KeepAlive);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nProxy-Connection: keep-alive\r\n\r\n", false)]
    public void TryParse_ConnectionOptions_DecideKeepAlive(string text, bool keepAlive)
    {
        Assert.Equal(keepAlive, Parser.ParsesAllWays(text).KeepAlive);
    }

    [Fact]
    public void TryParse_StandardHopByHopFields_MarkedHopByHop()
    {
        RequestHead head = Parser.ParsesAllWays(Get(
            "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\n" +
            "Upgrade: websocket\r\nContent-Length: 0\r\nAccept: */*\r\n"));

        Assert.Equal(
            "Host: a [Host]\n" +
            "Connection: keep-alive [Connection] hop\n" +
            "Keep-Alive: timeout=5 [KeepAlive] hop\n" +
            "Proxy-Connection: keep-alive [ProxyConnection] hop\n" +
            "TE: trailers [Te] hop\n" +
            "Upgrade: websocket [Upgrade] hop\n" +
            "Content-Length: 0 [ContentLength]\n" +
            "Accept: */* [None]",
            HeadSnapshot.HeadersOf(head));
        Assert.True(head.HasUpgrade);
    }

    [Fact]
    public void TryParse_FieldsNamedInConnection_MarkedHopByHopCaseInsensitively()
    {
        RequestHead head = Parser.ParsesAllWays(Get(
            "X-Secret: 1\r\nConnection: x-secret, X-OTHER\r\nx-other: 2\r\nX-Kept: 3\r\nCookie: c\r\nConnection: cookie\r\n"));

        Assert.Equal(
            "Host: a [Host]\n" +
            "X-Secret: 1 [None] hop\n" +
            "Connection: x-secret, X-OTHER [Connection] hop\n" +
            "x-other: 2 [None] hop\n" +
            "X-Kept: 3 [None]\n" +
            "Cookie: c [Cookie] hop\n" +
            "Connection: cookie [Connection] hop",
            HeadSnapshot.HeadersOf(head));
        Assert.True(head.KeepAlive);
    }

    [Fact]
    public void TryParse_ConnectionNamingHostOrContentLength_DoesNotMarkThem()
    {
        RequestHead head = Parser.ParsesAllWays(Get("Content-Length: 2\r\nConnection: Host, content-length\r\n"));

        Assert.False(head.Headers[0].IsHopByHop);
        Assert.False(head.Headers[1].IsHopByHop);
        Assert.Equal("a", Text(head.Host));
        Assert.Equal(2, head.ContentLength);
    }

    [Theory]
    [InlineData("Expect: 100-continue\r\n", true)]
    [InlineData("Expect: 100-Continue\r\n", true)]
    [InlineData("Expect: 100-continue-please\r\n", false)]
    [InlineData("", false)]
    public void TryParse_Expect_SetsExpectContinueOnlyFor100Continue(string fields, bool expectContinue)
    {
        Assert.Equal(expectContinue, Parser.ParsesAllWays(Get(fields)).ExpectContinue);
    }

    [Fact]
    public void TryParse_AbsoluteFormTarget_TakesHostFromTargetOverHostField()
    {
        RequestHead head = Parser.ParsesAllWays("GET http://origin.example:8080/a/b?c=d HTTP/1.1\r\nHost: other.example\r\n\r\n");

        Assert.Equal("origin.example:8080", Text(head.Host));
        Assert.True(head.HostFromTarget);
        Assert.Equal("/a/b", Text(head.Path));
        Assert.Equal("?c=d", Text(head.Query));
        Assert.Equal("http://origin.example:8080/a/b?c=d", Text(head.Target));
    }

    [Theory]
    [InlineData("http://example.com", "example.com", "/", "")]
    [InlineData("HTTP://Example.COM?x=1", "Example.COM", "/", "?x=1")]
    [InlineData("https://example.com/", "example.com", "/", "")]
    [InlineData("HtTpS://[::1]:8443/p?", "[::1]:8443", "/p", "?")]
    public void TryParse_AbsoluteFormVariants_SplitHostPathAndQuery(string target, string host, string path, string query)
    {
        RequestHead head = Parser.ParsesAllWays($"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(host, Text(head.Host));
        Assert.Equal(path, Text(head.Path));
        Assert.Equal(query, Text(head.Query));
    }

    [Fact]
    public void TryParse_AsteriskFormWithOptions_PathIsAsterisk()
    {
        RequestHead head = Parser.ParsesAllWays("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(KnownMethod.Options, head.Method);
        Assert.Equal("*", Text(head.Path));
        Assert.Equal("", Text(head.Query));
    }

    [Fact]
    public void TryParse_AuthorityFormWithConnect_HostFromTarget()
    {
        RequestHead head = Parser.ParsesAllWays("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");

        Assert.Equal(KnownMethod.Connect, head.Method);
        Assert.Equal("example.com:443", Text(head.Host));
        Assert.True(head.HostFromTarget);
        Assert.Equal("", Text(head.Path));
    }

    [Theory]
    [InlineData("GET", KnownMethod.Get)]
    [InlineData("HEAD", KnownMethod.Head)]
    [InlineData("POST", KnownMethod.Post)]
    [InlineData("PUT", KnownMethod.Put)]
    [InlineData("DELETE", KnownMethod.Delete)]
    [InlineData("OPTIONS", KnownMethod.Options)]
    [InlineData("PATCH", KnownMethod.Patch)]
    [InlineData("TRACE", KnownMethod.Trace)]
    [InlineData("get", KnownMethod.Other)]
    [InlineData("Post", KnownMethod.Other)]
    [InlineData("PROPFIND", KnownMethod.Other)]
    [InlineData("M-SEARCH", KnownMethod.Other)]
    [InlineData("!#$%&'*+-.^_`|~", KnownMethod.Other)]
    public void TryParse_Method_RecognisedCaseSensitively(string method, KnownMethod known)
    {
        RequestHead head = Parser.ParsesAllWays($"{method} / HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal(known, head.Method);
        Assert.Equal(method, Text(head.MethodName));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r\n\r\n\r\n\r\n")]
    public void TryParse_UpToFourEmptyLinesBeforeRequestLine_Skipped(string leading)
    {
        string head = Get();
        RequestHead parsed = Parser.ParsesAllWays(leading + head);

        Assert.Equal(head, Text(parsed.Raw));
        Parser.TryParseWhole(Bytes(leading + head), out long consumed);
        Assert.Equal(leading.Length + head.Length, consumed);
    }

    [Theory]
    [InlineData("X-Empty:\r\n", "")]
    [InlineData("X-Empty: \t \r\n", "")]
    [InlineData("X-Spaces:   a  b\tc \t\r\n", "a  b\tc")]
    [InlineData("X-Obs-Text: caf\xe9 \x80\xff\r\n", "caf\xe9 \x80\xff")]
    [InlineData("X-Visible: !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\r\n", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")]
    public void TryParse_FieldValues_TrimmedOfOwsAndKeptOtherwise(string field, string value)
    {
        RequestHead head = Parser.ParsesAllWays(Get(field));

        Assert.Equal(value, Text(head.ValueOf(head.Headers[1])));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("example.com:8080")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:80")]
    [InlineData("[::1]")]
    [InlineData("[2001:db8::1]:443")]
    [InlineData("[::ffff:192.0.2.1]")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("under_score.example")]
    [InlineData("pct%41encoded")]
    public void TryParse_ValidHostValues_Accepted(string host)
    {
        RequestHead head = Parser.ParsesAllWays($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");

        Assert.Equal(host, Text(head.Host));
    }

    [Fact]
    public void TryParse_RequestLineExactlyAtLimit_Accepted()
    {
        var parser = HeadParserHarness.ForRequests(new HeadLimits(1024, 10, 64));
        string line = "GET /" + new string('a', 64 - "GET / HTTP/1.1".Length) + " HTTP/1.1";
        Assert.Equal(64, line.Length);

        parser.ParsesAllWays(line + "\r\nHost: a\r\n\r\n");
    }

    [Fact]
    public void TryParse_HeadExactlyAtLimit_Accepted()
    {
        string head = Padded(Get("X-Pad: "), 512);
        Assert.Equal(512, head.Length);

        HeadParserHarness.ForRequests(new HeadLimits(512, 10, 512)).ParsesAllWays(head);
    }

    [Fact]
    public void TryParse_HeaderCountExactlyAtLimit_Accepted()
    {
        RequestHead head = HeadParserHarness.ForRequests(new HeadLimits(1024, 3, 1024)).ParsesAllWays(Get("A: 1\r\nB: 2\r\n"));

        Assert.Equal(3, head.HeaderCount);
    }

    [Fact]
    public void TryParse_HeadArrivingOneByteAtATime_ParsesWithoutReparsing()
    {
        // 16 KiB head offered again from its start after every byte, as a slow client makes a pipe do.
        var limits = new HeadLimits(16 * 1024, 100, 16 * 1024);
        string text = Get(string.Concat(Enumerable.Range(0, 60).Select(i => $"X-Field-{i:D2}: {new string('v', 250)}\r\n")));
        byte[] bytes = Bytes(text);
        var head = new RequestHead(limits);

        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(RequestHeadParser.TryParse(new System.Buffers.ReadOnlySequence<byte>(bytes, 0, length), head, out _));
        }
        Assert.True(RequestHeadParser.TryParse(new System.Buffers.ReadOnlySequence<byte>(bytes), head, out _));
        Assert.Equal(61, head.HeaderCount);
        Assert.Equal(text, Text(head.Raw));
    }

    [Fact]
    public void TryParse_DifferentInputAfterIncompleteCall_StartsOver()
    {
        var head = new RequestHead(HeadLimits.Default);
        Assert.False(RequestHeadParser.TryParse(new(Bytes("GET /first HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n")), head, out _));

        Assert.True(RequestHeadParser.TryParse(new(Bytes("PUT /second HTTP/1.1\r\nHost: b\r\n\r\n")), head, out _));
        Assert.Equal(KnownMethod.Put, head.Method);
        Assert.Equal("/second", Text(head.Path));
        Assert.Equal(1, head.HeaderCount);
    }

    // ---- rejections: limits ------------------------------------------------------------------------------

    [Fact]
    public void TryParse_RequestLineOneByteOverLimit_Rejects414()
    {
        var parser = HeadParserHarness.ForRequests(new HeadLimits(1024, 10, 64));
        string line = "GET /" + new string('a', 65 - "GET / HTTP/1.1".Length) + " HTTP/1.1";

        Assert.Equal(RejectReason.RequestLineTooLong, parser.RejectsAllWays(line + "\r\nHost: a\r\n\r\n"));
        Assert.Equal(414, RejectStatus.Of(RejectReason.RequestLineTooLong));
    }

    [Fact]
    public void TryParse_UnfinishedRequestLineOverLimit_RejectsBeforeItEnds()
    {
        var head = new RequestHead(new HeadLimits(1024, 10, 64));
        byte[] bytes = Bytes("GET /" + new string('a', 60));

        var e = Assert.Throws<HttpRejectException>(() => RequestHeadParser.TryParse(new(bytes), head, out _));
        Assert.Equal(RejectReason.RequestLineTooLong, e.Reason);
    }

    [Fact]
    public void TryParse_UnfinishedRequestLineAtLimitEndingInCr_WaitsForLf()
    {
        var head = new RequestHead(new HeadLimits(1024, 10, 64));
        string line = "GET /" + new string('a', 64 - "GET / HTTP/1.1".Length) + " HTTP/1.1";

        Assert.False(RequestHeadParser.TryParse(new(Bytes(line + "\r")), head, out _));
    }

    [Fact]
    public void TryParse_HeadOneByteOverLimit_Rejects431()
    {
        string head = Padded(Get("X-Pad: "), 513);

        Assert.Equal(RejectReason.HeadTooLarge, HeadParserHarness.ForRequests(new HeadLimits(512, 10, 512)).RejectsAllWays(head));
        Assert.Equal(431, RejectStatus.Of(RejectReason.HeadTooLarge));
    }

    [Fact]
    public void TryParse_FieldLinesFillingTheLimitExactly_RejectsWhenBlankLineDoesNotFit()
    {
        string head = Padded(Get("X-Pad: "), 514);
        Assert.Equal(512, head.LastIndexOf("\r\n\r\n", StringComparison.Ordinal) + 2);

        Assert.Equal(RejectReason.HeadTooLarge, HeadParserHarness.ForRequests(new HeadLimits(512, 10, 512)).RejectsAllWays(head));
    }

    [Fact]
    public void TryParse_UnfinishedHeadOverLimit_RejectsBeforeBlankLine()
    {
        var head = new RequestHead(new HeadLimits(512, 100, 512));
        byte[] bytes = Bytes("GET / HTTP/1.1\r\nHost: a\r\n" + string.Concat(Enumerable.Repeat("X-A: 1\r\n", 70)));

        var e = Assert.Throws<HttpRejectException>(() => RequestHeadParser.TryParse(new(bytes), head, out _));
        Assert.Equal(RejectReason.HeadTooLarge, e.Reason);
    }

    [Fact]
    public void TryParse_OneHeaderOverCount_Rejects431()
    {
        var parser = HeadParserHarness.ForRequests(new HeadLimits(1024, 3, 1024));

        Assert.Equal(RejectReason.TooManyHeaders, parser.RejectsAllWays(Get("A: 1\r\nB: 2\r\nC: 3\r\n")));
        Assert.Equal(431, RejectStatus.Of(RejectReason.TooManyHeaders));
    }

    [Fact]
    public void TryParse_FieldStartingAfterCountReached_RejectsBeforeItEnds()
    {
        var head = new RequestHead(new HeadLimits(1024, 2, 1024));

        var e = Assert.Throws<HttpRejectException>(() => RequestHeadParser.TryParse(new(Bytes("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB")), head, out _));
        Assert.Equal(RejectReason.TooManyHeaders, e.Reason);
    }

    // ---- rejections: start line --------------------------------------------------------------------------

    [Theory]
    [InlineData("GET /\r\nHost: a\r\n\r\n")]
    [InlineData("GET\r\nHost: a\r\n\r\n")]
    [InlineData("GET  / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET /  HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1 \r\nHost: a\r\n\r\n")]
    [InlineData("GET / extra HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")]
    public void TryParse_MalformedRequestLine_RejectsInvalidStartLine(string text)
    {
        Assert.Equal(RejectReason.InvalidStartLine, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData(" GET / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("G(ET / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GE\0T / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("G\xc9T / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET/ HTTP/1.1\r\nHost: a\r\n\r\n")]
    public void TryParse_MethodNotAToken_RejectsInvalidMethod(string text)
    {
        Assert.Equal(RejectReason.InvalidMethod, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("GET index.html HTTP/1.1")]
    [InlineData("GET /a#fragment HTTP/1.1")]
    [InlineData("GET /a\x01 HTTP/1.1")]
    [InlineData("GET /a\x7f HTTP/1.1")]
    [InlineData("GET /caf\xe9 HTTP/1.1")]
    [InlineData("GET * HTTP/1.1")]
    [InlineData("OPTIONS *x HTTP/1.1")]
    [InlineData("GET ftp://example.com/ HTTP/1.1")]
    [InlineData("GET http:// HTTP/1.1")]
    [InlineData("GET http:///path HTTP/1.1")]
    [InlineData("GET http://user@example.com/ HTTP/1.1")]
    [InlineData("GET http://example.com:99999/ HTTP/1.1")]
    [InlineData("GET example.com:443 HTTP/1.1")]
    [InlineData("CONNECT example.com HTTP/1.1")]
    [InlineData("CONNECT /path HTTP/1.1")]
    [InlineData("CONNECT http://example.com:443/ HTTP/1.1")]
    public void TryParse_TargetInNoValidForm_RejectsInvalidTarget(string requestLine)
    {
        Assert.Equal(RejectReason.InvalidTarget, Parser.RejectsAllWays(requestLine + "\r\nHost: a\r\n\r\n"));
    }

    [Theory]
    [InlineData("HTTP/1")]
    [InlineData("HTTP/11")]
    [InlineData("http/1.1")]
    [InlineData("HTTP/1.1x")]
    [InlineData("HTTP/a.1")]
    [InlineData("HTTPS/1.1")]
    [InlineData("HTTP/1,1")]
    [InlineData("HTTP/10.0")]
    public void TryParse_MalformedVersion_RejectsInvalidVersion(string version)
    {
        Assert.Equal(RejectReason.InvalidVersion, Parser.RejectsAllWays($"GET / {version}\r\nHost: a\r\n\r\n"));
    }

    [Theory]
    [InlineData("HTTP/2.0")]
    [InlineData("HTTP/0.9")]
    [InlineData("HTTP/1.2")]
    [InlineData("HTTP/3.0")]
    public void TryParse_WellFormedOtherVersion_Rejects505(string version)
    {
        Assert.Equal(RejectReason.UnsupportedVersion, Parser.RejectsAllWays($"GET / {version}\r\nHost: a\r\n\r\n"));
        Assert.Equal(505, RejectStatus.Of(RejectReason.UnsupportedVersion));
    }

    // ---- rejections: line endings and field lines -------------------------------------------------------

    [Theory]
    [InlineData("GET / HTTP/1.1\nHost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\n")]
    [InlineData("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")]
    public void TryParse_BareLineFeed_Rejects(string text)
    {
        Assert.Equal(RejectReason.BareLineFeed, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\rX-B: 2\r\n\r\n")]
    [InlineData("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\r\nHost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n")]
    public void TryParse_BareCarriageReturn_Rejects(string text)
    {
        Assert.Equal(RejectReason.BareCarriageReturn, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("X-A: 1\r\n folded\r\n")]
    [InlineData("X-A: 1\r\n\tfolded\r\n")]
    public void TryParse_ObsoleteLineFolding_Rejects(string fields)
    {
        Assert.Equal(RejectReason.ObsoleteLineFolding, Parser.RejectsAllWays(Get(fields)));
    }

    [Fact]
    public void TryParse_FirstFieldLineStartingWithWhitespace_RejectsObsoleteLineFolding()
    {
        Assert.Equal(RejectReason.ObsoleteLineFolding, Parser.RejectsAllWays("GET / HTTP/1.1\r\n Host: a\r\n\r\n"));
    }

    [Theory]
    [InlineData("Host : a\r\n")]
    [InlineData("X-A\t: 1\r\n")]
    [InlineData("Transfer-Encoding : chunked\r\n")]
    [InlineData("Content-Length \t : 5\r\n")]
    public void TryParse_WhitespaceBeforeColon_Rejects(string field)
    {
        Assert.Equal(RejectReason.WhitespaceBeforeColon, Parser.RejectsAllWays("GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n"));
    }

    [Theory]
    [InlineData(": empty name\r\n")]
    [InlineData("No-Colon\r\n")]
    [InlineData("X(A): 1\r\n")]
    [InlineData("X A: 1\r\n")]
    [InlineData("X\0A: 1\r\n")]
    [InlineData("X-\xe9: 1\r\n")]
    [InlineData("\"Quoted\": 1\r\n")]
    public void TryParse_InvalidFieldName_RejectsInvalidHeaderName(string field)
    {
        Assert.Equal(RejectReason.InvalidHeaderName, Parser.RejectsAllWays(Get(field)));
    }

    [Theory]
    [InlineData("X-A: a\0b\r\n")]
    [InlineData("X-A: \0\r\n")]
    [InlineData("X-A: a\x01\r\n")]
    [InlineData("X-A: a\x1b[31m\r\n")]
    [InlineData("X-A: a\x7f\r\n")]
    [InlineData("Transfer-Encoding: chunked\x0b\r\n")]
    [InlineData("Transfer-Encoding: \x0c" + "chunked\r\n")]
    [InlineData("Content-Length: 5\0\r\n")]
    public void TryParse_ControlByteInValue_RejectsInvalidHeaderValue(string field)
    {
        Assert.Equal(RejectReason.InvalidHeaderValue, Parser.RejectsAllWays(Get(field)));
    }

    // ---- rejections: Host ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX-Host: a\r\n\r\n")]
    [InlineData("GET http://example.com/ HTTP/1.1\r\n\r\n")]
    public void TryParse_Http11WithoutHost_RejectsMissingHost(string text)
    {
        Assert.Equal(RejectReason.MissingHost, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\nHOST: a\r\n\r\n")]
    [InlineData("GET http://a/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    public void TryParse_TwoHostFields_RejectsDuplicateHost(string text)
    {
        Assert.Equal(RejectReason.DuplicateHost, Parser.RejectsAllWays(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("user@example.com")]
    [InlineData("example.com:")]
    [InlineData("example.com:http")]
    [InlineData("example.com:65536")]
    [InlineData("example.com:123456")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[1:2:3:4:5:6:7:8:9]")]
    [InlineData("[fe80::1%25eth0]")]
    [InlineData("::1")]
    [InlineData("bad%zz")]
    [InlineData("a/b")]
    [InlineData("caf\xe9")]
    public void TryParse_HostNotAnAuthority_RejectsInvalidHost(string host)
    {
        Assert.Equal(RejectReason.InvalidHost, Parser.RejectsAllWays($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
    }

    [Fact]
    public void TryParse_InvalidHostFieldWithAbsoluteForm_StillRejected()
    {
        Assert.Equal(RejectReason.InvalidHost, Parser.RejectsAllWays("GET http://example.com/ HTTP/1.1\r\nHost: a b\r\n\r\n"));
    }

    // ---- rejections: framing ------------------------------------------------------------------------------

    [Theory]
    [InlineData("Content-Length: abc\r\n")]
    [InlineData("Content-Length: -1\r\n")]
    [InlineData("Content-Length: +1\r\n")]
    [InlineData("Content-Length: 1 2\r\n")]
    [InlineData("Content-Length: 0x10\r\n")]
    [InlineData("Content-Length: 1.0\r\n")]
    [InlineData("Content-Length:\r\n")]
    [InlineData("Content-Length: 5,\r\n")]
    [InlineData("Content-Length: ,5\r\n")]
    [InlineData("Content-Length: 5,,5\r\n")]
    [InlineData("Content-Length: 9223372036854775808\r\n")]
    [InlineData("Content-Length: 99999999999999999999999\r\n")]
    [InlineData("Content-Length: \"5\"\r\n")]
    public void TryParse_MalformedContentLength_RejectsInvalidContentLength(string field)
    {
        Assert.Equal(RejectReason.InvalidContentLength, Parser.RejectsAllWays(Get(field)));
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nContent-Length: 6\r\n")]
    [InlineData("Content-Length: 5, 6\r\n")]
    [InlineData("Content-Length: 5\r\nContent-Length: 5, 6\r\n")]
    [InlineData("Content-Length: 0\r\nContent-Length: 00\r\nContent-Length: 1\r\n")]
    public void TryParse_DifferingContentLengths_RejectsConflictingContentLength(string fields)
    {
        Assert.Equal(RejectReason.ConflictingContentLength, Parser.RejectsAllWays(Get(fields)));
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n")]
    public void TryParse_ContentLengthAndTransferEncoding_Rejects(string fields)
    {
        Assert.Equal(RejectReason.ContentLengthWithTransferEncoding, Parser.RejectsAllWays(Get(fields)));
    }

    [Theory]
    [InlineData("Transfer-Encoding: chunked, chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: xchunked\r\n")]
    [InlineData("Transfer-Encoding: chunkedx\r\n")]
    [InlineData("Transfer-Encoding: gzip\r\n")]
    [InlineData("Transfer-Encoding: chunked, gzip\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n")]
    [InlineData("Transfer-Encoding: \"chunked\"\r\n")]
    [InlineData("Transfer-Encoding: chunked;q=1\r\n")]
    [InlineData("Transfer-Encoding: chunked ;foo=bar\r\n")]
    [InlineData("Transfer-Encoding: chun ked\r\n")]
    [InlineData("Transfer-Encoding: \r\n")]
    [InlineData("Transfer-Encoding: ,\r\n")]
    [InlineData("Transfer-Encoding: chunk\xe9" + "d\r\n")]
    public void TryParse_TransferEncodingNotEndingInOneChunked_RejectsInvalidTransferEncoding(string fields)
    {
        Assert.Equal(RejectReason.InvalidTransferEncoding, Parser.RejectsAllWays(Get(fields)));
    }

    [Fact]
    public void TryParse_Http10WithTransferEncoding_RejectsInvalidTransferEncoding()
    {
        Assert.Equal(RejectReason.InvalidTransferEncoding, Parser.RejectsAllWays("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"));
    }

    [Theory]
    [InlineData("Transfer-Encoding: gzip, chunked\r\n")]
    [InlineData("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: identity, chunked\r\n")]
    public void TryParse_OtherCodingBeforeChunked_Rejects501(string fields)
    {
        Assert.Equal(RejectReason.UnsupportedTransferCoding, Parser.RejectsAllWays(Get(fields)));
        Assert.Equal(501, RejectStatus.Of(RejectReason.UnsupportedTransferCoding));
    }

    /// <summary>A head whose last field value is padded with 'p's to make the head <paramref name="length"/> bytes long.</summary>
    private static string Padded(string getWithEmptyLastField, int length)
    {
        string start = getWithEmptyLastField[..^2];   // without the blank line
        return start + new string('p', length - start.Length - 4) + "\r\n\r\n";
    }
}
