using System.Text;
using Proxy.Protocols.Http1;

namespace Proxy.Protocols.Tests.Http1;

public class TrailerFieldFilterTests
{
    [Theory]
    [InlineData("x-checksum")]
    [InlineData("grpc-status")]
    [InlineData("grpc-message")]
    [InlineData("Server-Timing")]
    [InlineData("digest")]
    [InlineData("etag")]
    [InlineData("hosts")]                 // a longer name that starts like a forbidden one
    [InlineData("if")]                    // not an if-* field
    [InlineData("x-if-match")]
    public void IsAllowed_OrdinaryTrailerField_True(string name) =>
        Assert.True(TrailerFieldFilter.IsAllowed(Encoding.ASCII.GetBytes(name)));

    [Theory]
    // RFC 9113 §8.1: no pseudo-header fields in trailers.
    [InlineData(":status")]
    [InlineData(":path")]
    // RFC 9113 §8.2.2: connection-specific.
    [InlineData("connection")]
    [InlineData("keep-alive")]
    [InlineData("proxy-connection")]
    [InlineData("transfer-encoding")]
    [InlineData("upgrade")]
    [InlineData("te")]
    // RFC 9110 §6.5.1: framing, routing, authentication, modifiers, controls, content format.
    [InlineData("content-length")]
    [InlineData("trailer")]
    [InlineData("host")]
    [InlineData("authorization")]
    [InlineData("proxy-authenticate")]
    [InlineData("proxy-authorization")]
    [InlineData("www-authenticate")]
    [InlineData("realm")]
    [InlineData("cache-control")]
    [InlineData("expect")]
    [InlineData("max-forwards")]
    [InlineData("pragma")]
    [InlineData("range")]
    [InlineData("if-match")]
    [InlineData("If-Modified-Since")]
    [InlineData("content-encoding")]
    [InlineData("content-range")]
    [InlineData("content-type")]
    // Compared case-insensitively: an HTTP/1.1 upstream may write any case.
    [InlineData("Content-Length")]
    [InlineData("HOST")]
    [InlineData("Transfer-Encoding")]
    public void IsAllowed_ForbiddenTrailerField_False(string name) =>
        Assert.False(TrailerFieldFilter.IsAllowed(Encoding.ASCII.GetBytes(name)));

    [Fact]
    public void IsAllowed_EmptyName_False() => Assert.False(TrailerFieldFilter.IsAllowed([]));
}
