using Proxy.Protocols.Http1;
using Proxy.Protocols.Http2;
using static Proxy.Protocols.Tests.Http1.Sequences;

namespace Proxy.Protocols.Tests.Http2;

public class FieldSectionValidatorTests
{
    private static readonly (string, string)[] Get = [(":method", "GET"), (":scheme", "https"), (":authority", "example.com"), (":path", "/")];

    /// <summary>Feeds the fields, then completes; returns the first reason from either step, or None.</summary>
    private static Http2RejectReason Validate(FieldSectionKind kind, (string Name, string Value)[] fields, bool extendedConnect = false)
    {
        var validator = new FieldSectionValidator(kind, extendedConnect);
        Http2RejectReason first = Http2RejectReason.None;
        foreach ((string name, string value) in fields)
        {
            Http2RejectReason reason = validator.Add(Bytes(name), Bytes(value));
            if (first == Http2RejectReason.None) first = reason;
        }
        Http2RejectReason complete = validator.Complete();
        Assert.Equal(first == Http2RejectReason.None ? complete : first, complete);
        return complete;
    }

    private static Http2RejectReason Request(params (string, string)[] fields) => Validate(FieldSectionKind.Request, fields);

    [Fact]
    public void Complete_ValidGet_NoReasonAndMethodKnown()
    {
        var validator = new FieldSectionValidator(FieldSectionKind.Request);
        foreach ((string name, string value) in Get.Append(("accept", "*/*")).Append(("te", "trailers"))) Assert.Equal(Http2RejectReason.None, validator.Add(Bytes(name), Bytes(value)));

        Assert.Equal(Http2RejectReason.None, validator.Complete());
        Assert.Equal(KnownMethod.Get, validator.Method);
    }

    [Fact]
    public void Complete_PseudoHeadersInAnyOrder_Accepted()
    {
        Assert.Equal(Http2RejectReason.None, Request((":path", "/x?y=1"), (":authority", "example.com:8443"), (":scheme", "http"), (":method", "POST")));
    }

    [Theory]
    [InlineData("", "v")]
    [InlineData("x y", "v")]
    [InlineData("x:y", "v")]
    [InlineData("x\u00e9", "v")]
    [InlineData("x\"", "v")]
    public void Add_NameNotAToken_InvalidHeaderName(string name, string value)
    {
        Assert.Equal(Http2RejectReason.InvalidHeaderName, Request([.. Get, (name, value)]));
    }

    [Fact]
    public void Add_UppercaseName_UppercaseHeaderName()
    {
        Assert.Equal(Http2RejectReason.UppercaseHeaderName, Request([.. Get, ("Content-Type", "text/plain")]));
    }

    [Theory]
    [InlineData("a\0b")]
    [InlineData("a\rb")]
    [InlineData("a\nb")]
    [InlineData(" a")]
    [InlineData("a\t")]
    [InlineData("a\u007fb")]
    [InlineData("a\u0001b")]
    public void Add_ValueWithForbiddenBytesOrEdgeWhitespace_InvalidHeaderValue(string value)
    {
        Assert.Equal(Http2RejectReason.InvalidHeaderValue, Request([.. Get, ("x-a", value)]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b\tc")]
    [InlineData("caf\u00e9")]
    public void Add_ValueWithInnerWhitespaceOrObsText_Accepted(string value)
    {
        Assert.Equal(Http2RejectReason.None, Request([.. Get, ("x-a", value)]));
    }

    [Theory]
    [InlineData("connection", "keep-alive")]
    [InlineData("keep-alive", "timeout=5")]
    [InlineData("proxy-connection", "close")]
    [InlineData("transfer-encoding", "chunked")]
    [InlineData("upgrade", "websocket")]
    public void Add_ConnectionSpecificField_Rejected(string name, string value)
    {
        Assert.Equal(Http2RejectReason.ConnectionSpecificHeader, Request([.. Get, (name, value)]));
    }

    [Theory]
    [InlineData("trailers", Http2RejectReason.None)]
    [InlineData("Trailers", Http2RejectReason.None)]
    [InlineData("gzip", Http2RejectReason.InvalidTeHeader)]
    [InlineData("trailers, gzip", Http2RejectReason.InvalidTeHeader)]
    public void Add_Te_OnlyTrailers(string value, Http2RejectReason reason)
    {
        Assert.Equal(reason, Request([.. Get, ("te", value)]));
    }

    [Fact]
    public void Add_PseudoHeaderAfterRegularField_Rejected()
    {
        Assert.Equal(Http2RejectReason.PseudoHeaderAfterRegularHeader, Request((":method", "GET"), (":scheme", "https"), ("accept", "*/*"), (":path", "/")));
    }

    [Fact]
    public void Add_DuplicatePseudoHeader_Rejected()
    {
        Assert.Equal(Http2RejectReason.DuplicatePseudoHeader, Request([.. Get, (":path", "/again")]));
    }

    [Theory]
    [InlineData(":foo")]
    [InlineData(":status")]
    [InlineData(":protocol")]
    [InlineData(":Method")]
    [InlineData(":")]
    public void Add_PseudoHeaderNotDefinedForRequests_Unknown(string name)
    {
        Assert.Equal(Http2RejectReason.UnknownPseudoHeader, Request([(name, "x"), .. Get]));
    }

    [Theory]
    [InlineData(":method")]
    [InlineData(":path")]
    [InlineData(":scheme")]
    public void Complete_RequestWithoutARequiredPseudoHeader_Missing(string missing)
    {
        Assert.Equal(Http2RejectReason.MissingPseudoHeader, Request(Get.Where(f => f.Item1 != missing).ToArray()));
    }

    [Fact]
    public void Complete_RequestWithoutAuthority_Accepted()
    {
        Assert.Equal(Http2RejectReason.None, Request((":method", "GET"), (":scheme", "https"), (":path", "/"), ("host", "example.com")));
    }

    [Theory]
    [InlineData("GE T")]
    [InlineData("")]
    [InlineData("GET\u00e9")]
    public void Add_MethodNotAToken_InvalidMethod(string method)
    {
        Assert.Equal(Http2RejectReason.InvalidMethod, Request((":method", method), (":scheme", "https"), (":path", "/")));
    }

    [Theory]
    [InlineData("", "GET")]
    [InlineData("index.html", "GET")]
    [InlineData("*", "GET")]
    [InlineData("/a b", "GET")]
    [InlineData("/a#frag", "GET")]
    public void Complete_BadPathForHttps_InvalidPath(string path, string method)
    {
        Assert.Equal(Http2RejectReason.InvalidPath, Request((":method", method), (":scheme", "https"), (":path", path)));
    }

    [Fact]
    public void Complete_AsteriskPathForOptions_Accepted()
    {
        Assert.Equal(Http2RejectReason.None, Request((":method", "OPTIONS"), (":scheme", "http"), (":path", "*")));
    }

    [Fact]
    public void Complete_OtherSchemeWithRelativePath_Accepted()
    {
        Assert.Equal(Http2RejectReason.None, Request((":method", "GET"), (":scheme", "urn"), (":path", "isbn:123")));
    }

    [Theory]
    [InlineData("user@example.com")]
    [InlineData("")]
    [InlineData("example.com:99999")]
    [InlineData("[::1")]
    [InlineData("exa mple.com")]
    public void Add_BadAuthority_InvalidAuthority(string authority)
    {
        Assert.Equal(Http2RejectReason.InvalidAuthority, Request((":method", "GET"), (":scheme", "https"), (":authority", authority), (":path", "/")));
    }

    [Theory]
    [InlineData("1http")]
    [InlineData("ht tp")]
    [InlineData("")]
    public void Add_BadScheme_InvalidScheme(string scheme)
    {
        Assert.Equal(Http2RejectReason.InvalidScheme, Request((":method", "GET"), (":scheme", scheme), (":path", "/")));
    }

    [Fact]
    public void Complete_ConnectWithAuthorityAndPort_Accepted()
    {
        var validator = new FieldSectionValidator(FieldSectionKind.Request);
        validator.Add(Bytes(":method"), Bytes("CONNECT"));
        validator.Add(Bytes(":authority"), Bytes("example.com:443"));

        Assert.Equal(Http2RejectReason.None, validator.Complete());
        Assert.Equal(KnownMethod.Connect, validator.Method);
    }

    [Theory]
    [InlineData(":path", "/")]
    [InlineData(":scheme", "https")]
    public void Complete_ConnectWithPathOrScheme_InvalidConnectRequest(string name, string value)
    {
        Assert.Equal(Http2RejectReason.InvalidConnectRequest, Request((":method", "CONNECT"), (":authority", "example.com:443"), (name, value)));
    }

    [Fact]
    public void Complete_ConnectWithoutPortOrAuthority_InvalidConnectRequest()
    {
        Assert.Equal(Http2RejectReason.InvalidConnectRequest, Request((":method", "CONNECT"), (":authority", "example.com")));
        Assert.Equal(Http2RejectReason.InvalidConnectRequest, Request((":method", "CONNECT")));
    }

    [Fact]
    public void Complete_ExtendedConnectWhenEnabled_Accepted()
    {
        (string, string)[] websocket = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/chat"), (":authority", "example.com")];

        Assert.Equal(Http2RejectReason.None, Validate(FieldSectionKind.Request, websocket, extendedConnect: true));
        Assert.Equal(Http2RejectReason.UnknownPseudoHeader, Validate(FieldSectionKind.Request, websocket, extendedConnect: false));
    }

    [Fact]
    public void Complete_ProtocolWithoutConnect_InvalidConnectRequest()
    {
        Assert.Equal(Http2RejectReason.InvalidConnectRequest, Validate(FieldSectionKind.Request, [.. Get, (":protocol", "websocket")], extendedConnect: true));
    }

    [Fact]
    public void Complete_ResponseWithStatus_StatusRead()
    {
        var validator = new FieldSectionValidator(FieldSectionKind.Response);
        validator.Add(Bytes(":status"), Bytes("204"));
        validator.Add(Bytes("server"), Bytes("origin"));

        Assert.Equal(Http2RejectReason.None, validator.Complete());
        Assert.Equal(204, validator.Status);
    }

    [Theory]
    [InlineData("20")]
    [InlineData("2000")]
    [InlineData("2x0")]
    public void Add_StatusNotThreeDigits_InvalidStatus(string status)
    {
        Assert.Equal(Http2RejectReason.InvalidStatus, Validate(FieldSectionKind.Response, [(":status", status)]));
    }

    [Fact]
    public void Complete_ResponseProblems_Reported()
    {
        Assert.Equal(Http2RejectReason.MissingPseudoHeader, Validate(FieldSectionKind.Response, [("server", "origin")]));
        Assert.Equal(Http2RejectReason.UnknownPseudoHeader, Validate(FieldSectionKind.Response, [(":status", "200"), (":path", "/")]));
        Assert.Equal(Http2RejectReason.DuplicatePseudoHeader, Validate(FieldSectionKind.Response, [(":status", "200"), (":status", "200")]));
    }

    [Fact]
    public void Complete_Trailers_RegularFieldsOnly()
    {
        Assert.Equal(Http2RejectReason.None, Validate(FieldSectionKind.Trailers, [("grpc-status", "0"), ("x-checksum", "abc")]));
        Assert.Equal(Http2RejectReason.None, Validate(FieldSectionKind.Trailers, []));
        Assert.Equal(Http2RejectReason.PseudoHeaderInTrailers, Validate(FieldSectionKind.Trailers, [(":status", "200")]));
        Assert.Equal(Http2RejectReason.ConnectionSpecificHeader, Validate(FieldSectionKind.Trailers, [("transfer-encoding", "chunked")]));
    }

    [Fact]
    public void Reason_FirstProblemKept_WhenLaterFieldsAreFineOrWorse()
    {
        var validator = new FieldSectionValidator(FieldSectionKind.Request);
        validator.Add(Bytes("Bad"), Bytes("v"));
        validator.Add(Bytes("connection"), Bytes("close"));

        Assert.Equal(Http2RejectReason.UppercaseHeaderName, validator.Reason);
        Assert.Equal(Http2RejectReason.UppercaseHeaderName, validator.Complete());
    }

    [Fact]
    public void Reasons_AreStreamLevelProtocolErrors()
    {
        foreach (Http2RejectReason reason in new[] { Http2RejectReason.InvalidHeaderName, Http2RejectReason.ConnectionSpecificHeader, Http2RejectReason.MissingPseudoHeader, Http2RejectReason.InvalidStatus })
            Assert.Equal(Http2ErrorCode.ProtocolError, Http2RejectErrorCode.Of(reason));
    }
}
