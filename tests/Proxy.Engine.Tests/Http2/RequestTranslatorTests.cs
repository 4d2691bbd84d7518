using System.Buffers;
using System.Text;
using Proxy.Engine.Http2;
using Proxy.Protocols.Http2;

namespace Proxy.Engine.Tests.Http2;

/// <summary>HTTP/2 request fields into the HTTP/1.1 bytes the shared forwarding path reads.</summary>
public sealed class RequestTranslatorTests
{
    private static (string Text, Http2RejectReason Reason, bool Chunked) Translate(bool endStream, params (string Name, string Value)[] fields)
    {
        var output = new ArrayBufferWriter<byte>();
        var translator = new RequestTranslator();
        translator.BeginRequest(output);
        foreach ((string name, string value) in fields) translator.Add(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));
        Http2RejectReason reason = translator.CompleteRequest(endStream, out bool chunked);
        return (Encoding.ASCII.GetString(output.WrittenSpan), reason, chunked);
    }

    private static readonly (string, string)[] Get = [(":method", "GET"), (":scheme", "http"), (":path", "/a?b=1"), (":authority", "example.com")];

    [Fact]
    public void CompleteRequest_Get_RequestLineAndHostFromPseudoHeaders()
    {
        var (text, reason, chunked) = Translate(endStream: true, [.. Get, ("accept", "*/*")]);

        Assert.Equal(Http2RejectReason.None, reason);
        Assert.False(chunked);
        Assert.Equal("GET /a?b=1 HTTP/1.1\r\nhost: example.com\r\naccept: */*\r\n\r\n", text);
    }

    [Fact]
    public void CompleteRequest_CookieCrumbs_JoinedIntoOneField()
    {
        var (text, _, _) = Translate(endStream: true, [.. Get, ("cookie", "a=1"), ("x-y", "z"), ("cookie", "b=2")]);

        Assert.EndsWith("x-y: z\r\ncookie: a=1; b=2\r\n\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteRequest_BodyWithoutContentLength_IsChunked()
    {
        var (text, reason, chunked) = Translate(endStream: false, (":method", "POST"), (":scheme", "http"), (":path", "/"), (":authority", "h"));

        Assert.Equal(Http2RejectReason.None, reason);
        Assert.True(chunked);
        Assert.EndsWith("transfer-encoding: chunked\r\n\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteRequest_BodyWithContentLength_KeepsItAndIsNotChunked()
    {
        var (text, reason, chunked) = Translate(endStream: false, [.. Get, ("content-length", "5")]);

        Assert.Equal(Http2RejectReason.None, reason);
        Assert.False(chunked);
        Assert.Contains("content-length: 5\r\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connection", "keep-alive", Http2RejectReason.ConnectionSpecificHeader)]
    [InlineData("transfer-encoding", "chunked", Http2RejectReason.ConnectionSpecificHeader)]
    [InlineData("upgrade", "h2c", Http2RejectReason.ConnectionSpecificHeader)]
    [InlineData("te", "gzip", Http2RejectReason.InvalidTeHeader)]
    [InlineData("host", "other.example", Http2RejectReason.InvalidAuthority)]
    [InlineData("content-length", "x", Http2RejectReason.InvalidHeaderValue)]
    [InlineData("content-length", "3", Http2RejectReason.InvalidHeaderValue)]      // END_STREAM with the head: no body, so 3 lies
    [InlineData("X-Upper", "1", Http2RejectReason.UppercaseHeaderName)]
    public void CompleteRequest_MalformedField_IsAStreamErrorReason(string name, string value, Http2RejectReason expected)
    {
        var (_, reason, _) = Translate(endStream: true, [.. Get, (name, value)]);

        Assert.Equal(expected, reason);
    }

    [Fact]
    public void CompleteRequest_HostEqualToAuthority_IsDroppedNotRepeated()
    {
        var (text, reason, _) = Translate(endStream: true, [.. Get, ("host", "EXAMPLE.com")]);

        Assert.Equal(Http2RejectReason.None, reason);
        Assert.Equal(2, text.Split("host:").Length);      // one host field: the one from :authority
        Assert.Contains("host: example.com\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteTrailers_Chunked_FollowTheLastChunk()
    {
        var output = new ArrayBufferWriter<byte>();
        var translator = new RequestTranslator();
        translator.BeginTrailers(output);
        translator.Add("x-checksum"u8, "abc"u8);

        Assert.Equal(Http2RejectReason.None, translator.CompleteTrailers());
        Assert.Equal("0\r\nx-checksum: abc\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void CompleteTrailers_PseudoHeader_IsMalformed()
    {
        var translator = new RequestTranslator();
        translator.BeginTrailers(null);
        translator.Add(":path"u8, "/"u8);

        Assert.Equal(Http2RejectReason.PseudoHeaderInTrailers, translator.CompleteTrailers());
    }
}
